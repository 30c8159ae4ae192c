/** The server of TEST_DATABASE_URL, reached through its own database for CREATE/DROP DATABASE. */
export function adminUrl(): string {
	const url = process.env.TEST_DATABASE_URL;
	if (!url) throw new Error('TEST_DATABASE_URL is not set');
	return url;
}

/** The same server and credentials, another database. */
export function databaseUrl(name: string): string {
	const url = new URL(adminUrl());
	url.pathname = `/${name}`;
	return url.toString();
}

/** A form field as trimmed text ('' when absent or a file). */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}

/** A password exactly as typed: spaces at either end are part of it. */
export function rawField(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): string | undefined {
	if (email === '') return 'Enter an email address';
	if (email.length > 254 || !EMAIL.test(email)) return 'Enter an email address in the correct format, like name@example.org';
	return undefined;
}

export function oneOf<T extends string>(options: readonly T[], value: string): value is T {
	return (options as readonly string[]).includes(value);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const dateTime = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit'
});

/** A moment as people in the district read it: "27 Nov 2026, 14:05", in UK time. */
export function formatDateTime(value: Date | string): string {
	return dateTime.format(new Date(value));
}

export function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

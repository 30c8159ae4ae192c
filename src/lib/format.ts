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

const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** "14:05", in UK time. */
export function formatTime(value: Date | string): string {
	return time.format(new Date(value));
}

/** "Fri 27 Nov 2026", in UK time. */
export function formatDate(value: Date | string): string {
	return date.format(new Date(value));
}

export function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

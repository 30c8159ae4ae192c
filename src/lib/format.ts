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

/**
 * When booking closes, as the last day to book: booking closes at the end of its day (midnight
 * after it), so "Fri 15 Jan 2027 (the last day to book)", not "16 Jan, 00:00". When it closes as the session starts,
 * that day and time.
 */
export function formatBookingCloses(closesAt: Date | string): string {
	const at = new Date(closesAt);
	return formatTime(at) === '00:00'
		? `${formatDate(new Date(at.getTime() - 1))} (the last day to book)`
		: `${formatDate(at)} at ${formatTime(at)}, as it starts`;
}

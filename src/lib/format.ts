const dateTime = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit'
});

/** The last moment formatDateTime wrote, and how: see there. */
let lastMoment = Number.NaN;
let lastMomentText = '';

/**
 * A moment as people in the district read it: "27 Nov 2026, 14:05", in UK time. The last one
 * written is remembered: every report page writes when its figures were counted, the same moment
 * until they are counted again, and Intl took 10-40 microseconds a call there, its caches cold
 * between requests (more than the rest of the page's filter together; issue 15).
 */
export function formatDateTime(value: Date | string): string {
	const at = new Date(value).getTime();
	if (at !== lastMoment) {
		// An invalid date (NaN) is never remembered: Intl throws for it, as before.
		lastMomentText = dateTime.format(at);
		lastMoment = at;
	}
	return lastMomentText;
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

const whole = new Intl.NumberFormat('en-GB');
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Whether `value` is a whole count from 0 to 999 (not -0): written as it is, with no separator, and most counts are. */
export function isCountBelowThousand(value: number): boolean {
	return Number.isInteger(value) && value >= 0 && value < 1000 && !Object.is(value, -0);
}

/** A count as people write it: "1,376". */
export function formatCount(value: number): string {
	// Below a thousand without asking Intl, which costs about a microsecond a call (a county's
	// by-school page writes 14,000 figures).
	if (isCountBelowThousand(value)) return String(value);
	// Whole counts from a thousand up by hand, as Intl writes them in en-GB ("1,376"), in a
	// tenth of its time; anything else (negative, fractional, past 2^53) through Intl.
	if (Number.isSafeInteger(value) && value > 0) return withThousands(String(value));
	return whole.format(value);
}

/** The digits of a whole number with a comma before each group of three from the right. */
function withThousands(digits: string): string {
	const head = digits.length % 3 || 3;
	let written = digits.slice(0, head);
	for (let i = head; i < digits.length; i += 3) written += `,${digits.slice(i, i + 3)}`;
	return written;
}

/**
 * A figure to one decimal place, with thousands separators: "1,376.1". By hand from 10^-6 up to
 * 10^15, as Intl writes it in en-GB and without its cost (see formatCount): Intl rounds the
 * shortest decimal that reads back as the number (what String gives: 0.15 is "0.15", though the
 * number is a little less), halves away from zero, and keeps the sign of a negative number that
 * rounds to 0.0. Anything smaller but not 0, larger, or not finite goes through Intl.
 */
export function formatOneDecimal(value: number): string {
	const size = Math.abs(value);
	if (!(size < 1e15) || (size < 1e-6 && size !== 0)) return oneDecimal.format(value);
	const text = String(size);
	const point = text.indexOf('.');
	let whole = point < 0 ? text : text.slice(0, point);
	let tenths = point < 0 ? 0 : text.charCodeAt(point + 1) - 48;
	// The hundredths digit decides: 5 to 9 rounds up, whatever follows it.
	if (point >= 0 && text.length > point + 2 && text.charCodeAt(point + 2) >= 53) {
		tenths += 1;
		if (tenths === 10) {
			tenths = 0;
			whole = String(Number(whole) + 1);
		}
	}
	const negative = value < 0 || Object.is(value, -0);
	return `${negative ? '-' : ''}${withThousands(whole)}.${tenths}`;
}

/** "1 school", "1,204 places". */
export function plural(count: number, one: string, many = `${one}s`): string {
	return `${formatCount(count)} ${count === 1 ? one : many}`;
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

const longDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A calendar day kept as YYYY-MM-DD, as people write it: "1 September 2018". */
export function formatDay(isoDay: string): string {
	return longDay.format(new Date(`${isoDay}T00:00:00Z`));
}

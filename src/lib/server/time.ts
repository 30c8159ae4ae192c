// Sessions happen in the district, so people type and read times in UK time (Europe/London);
// the database stores instants (timestamptz).

const TIME_ZONE = 'Europe/London';
const parts = new Intl.DateTimeFormat('en-GB', {
	timeZone: TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

/** The wall-clock date and time in London at an instant, as 'YYYY-MM-DD' and 'HH:MM'. */
export function londonParts(instant: Date): { date: string; time: string; weekday: number } {
	// Most calls ask for now: the parts are the same all minute (London's offsets are whole
	// hours), and taking them apart costs more than anything else a report's address needs.
	const minute = Math.floor(instant.getTime() / 60_000);
	if (lastMinute?.minute === minute) return { ...lastMinute.parts };
	const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
	const date = `${p.year}-${p.month}-${p.day}`;
	const found = { date, time: `${p.hour}:${p.minute}`, weekday: new Date(`${date}T00:00:00Z`).getUTCDay() };
	if (Number.isFinite(minute)) lastMinute = { minute, parts: found };
	return { ...found };
}

let lastMinute: { minute: number; parts: { date: string; time: string; weekday: number } } | undefined;

function offsetAt(instant: number): number {
	const p = Object.fromEntries(parts.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
	const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
	return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of a London wall-clock date and time ('YYYY-MM-DD', 'HH:MM'). */
export function fromLondon(date: string, time = '00:00'): Date {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const [hh, mm] = time.split(':').map(Number) as [number, number];
	const wall = Date.UTC(y, m - 1, d, hh, mm);
	let instant = wall - offsetAt(wall);
	instant = wall - offsetAt(instant); // once more, in case the first guess crossed a clock change
	return new Date(instant);
}

export function isRealDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export function isTime(value: string): boolean {
	return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** 'YYYY-MM-DD' plus whole days. */
export function addDays(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

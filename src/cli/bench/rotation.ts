// Times buildRotationGrid for a full Safety in Action Week slot: 12 classes on 8 workstations.
// `npx tsx -e "import('./src/cli/bench/rotation.ts').then(async m => console.log(await m.benchRotation()))"`
import { performance } from 'node:perf_hooks';
import { buildRotationGrid, type CarouselBooking, type CarouselStation } from '../../lib/server/sessions/rotation';

const WARM_UP_RUNS = 1_000;
const TIMED_RUNS = 1_000;

export async function benchRotation(): Promise<{ name: string; figure: string }[]> {
	const themes = ['Gangs', 'Substances', 'Fire', 'Water', 'Internet safety', 'Railway', 'First aid', 'Knives'];
	const stations: CarouselStation[] = themes.map((theme, i) => ({ id: `st${i + 1}`, name: theme, theme, places: 15 }));
	// Class sizes from 8 to 34, so some classes are split and some are not.
	const sizes = [28, 30, 8, 34, 15, 16, 29, 12, 31, 25, 22, 27];
	const bookings: CarouselBooking[] = sizes.map((places, i) => ({
		bookingId: `b${i + 1}`,
		schoolName: `Primary School ${i + 1}`,
		yearGroup: 'Year 6',
		places
	}));
	const input = { stations, bookings, startsAt: new Date('2019-06-10T09:00:00Z'), rotationMinutes: 20 };

	for (let i = 0; i < WARM_UP_RUNS; i++) buildRotationGrid(input);
	const times: number[] = [];
	let rotations = 0;
	for (let i = 0; i < TIMED_RUNS; i++) {
		const start = performance.now();
		rotations = buildRotationGrid(input).rotations.length;
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? Number.NaN;
	const micros = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

	const name = `rotation grid, 12 bookings (${sizes.reduce((a, b) => a + b, 0)} pupils) x 8 stations, ${rotations} rotations`;
	return [
		{ name: `${name}: median of ${TIMED_RUNS}`, figure: micros(at(0.5)) },
		{ name: `${name}: p95 of ${TIMED_RUNS}`, figure: micros(at(0.95)) }
	];
}

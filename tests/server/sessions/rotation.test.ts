import { describe, expect, it } from 'vitest';
import { buildRotationGrid, type CarouselBooking, type CarouselStation, type RotationGrid } from '../../../src/lib/server/sessions/rotation';
import { mulberry32 } from '../../support/seeded';

// Pure module: no database, even though the vitest config runs tests/server/** once per database.

const START = new Date('2019-06-10T09:00:00Z');
const MINUTES = 20;
const THEMES = ['Gangs', 'Substances', 'Fire', 'Water', 'Internet safety', 'Railway', 'First aid', 'Knives'];

function makeStations(places: number[]): CarouselStation[] {
	return places.map((p, i) => ({ id: `st${i + 1}`, name: `Station ${i + 1}`, theme: THEMES[i % THEMES.length] ?? 'Safety', places: p }));
}

function makeBookings(sizes: number[]): CarouselBooking[] {
	return sizes.map((places, i) => ({
		bookingId: `b${String(i + 1).padStart(2, '0')}`,
		schoolName: `School ${String.fromCharCode(65 + i)}`,
		yearGroup: 'Year 6',
		places
	}));
}

const UNIFORM = [15, 15, 15, 15, 15, 15, 15, 15];
const MIXED = [15, 12, 20, 10, 16, 12, 18, 14];
// Includes both ends of 8-34 and sizes just either side of the smallest station's places.
const FIXED_SIZES = [8, 34, 15, 16, 30, 12, 29, 9, 31, 10, 25, 11];

interface Case {
	name: string;
	stations: CarouselStation[];
	bookings: CarouselBooking[];
}

const cases: Case[] = [];
for (const [stationsName, places] of [
	['8 stations of 15', UNIFORM],
	['8 stations of 10 to 20', MIXED]
] as const) {
	for (let count = 1; count <= 12; count++) {
		cases.push({
			name: `${count} bookings of fixed sizes, ${stationsName}`,
			stations: makeStations([...places]),
			bookings: makeBookings(FIXED_SIZES.slice(0, count))
		});
		const random = mulberry32(count * 101 + places[1]!);
		const sizes = Array.from({ length: count }, () => 8 + Math.floor(random() * 27)); // 8 to 34
		cases.push({
			name: `${count} bookings of sizes ${sizes.join('/')}, ${stationsName}`,
			stations: makeStations([...places]),
			bookings: makeBookings(sizes)
		});
		// Small classes (a special school, a village school) are the ones that share stations.
		const small = Array.from({ length: count }, () => 4 + Math.floor(random() * 6)); // 4 to 9
		cases.push({
			name: `${count} small bookings of sizes ${small.join('/')}, ${stationsName}`,
			stations: makeStations([...places]),
			bookings: makeBookings(small)
		});
	}
}

function build(c: Case, endsAt?: Date): RotationGrid {
	return buildRotationGrid({ stations: c.stations, bookings: c.bookings, startsAt: START, rotationMinutes: MINUTES, endsAt });
}

/** Groups that always share a station travel together: one lane per distinct visit pattern. */
function lanesOf(grid: RotationGrid): string[][] {
	const pattern = new Map<string, string[]>();
	for (const group of grid.groups) pattern.set(group.key, []);
	for (const rotation of grid.rotations) {
		for (const visit of rotation.visits) {
			for (const group of visit.groups) pattern.get(group.key)?.push(`${rotation.index}:${visit.stationId}`);
		}
	}
	const lanes = new Map<string, string[]>();
	for (const [key, visits] of pattern) {
		const id = visits.join(',');
		lanes.set(id, [...(lanes.get(id) ?? []), key]);
	}
	return [...lanes.values()];
}

describe('buildRotationGrid, for 1 to 12 bookings of 8 to 34 pupils on 8 stations', () => {
	it.each(cases)('sends every group to every station exactly once ($name)', (c) => {
		const grid = build(c);
		expect(grid.problems).toEqual([]);
		for (const group of grid.groups) {
			const stationIds = grid.rotations.flatMap((r) => r.visits.filter((v) => v.groups.some((g) => g.key === group.key)).map((v) => v.stationId));
			expect(stationIds.sort(), group.label).toEqual(c.stations.map((s) => s.id).sort());
		}
	});

	it.each(cases)('never puts more children at a station than its places ($name)', (c) => {
		const grid = build(c);
		const places = new Map(c.stations.map((s) => [s.id, s.places]));
		for (const rotation of grid.rotations) {
			for (const visit of rotation.visits) {
				expect(visit.occupied).toBe(visit.groups.reduce((sum, g) => sum + g.size, 0));
				expect(visit.occupied, `rotation ${rotation.index}, ${visit.stationId}`).toBeLessThanOrEqual(places.get(visit.stationId)!);
			}
		}
	});

	it.each(cases)('times rotations back to back from the start, listing stations in order ($name)', (c) => {
		const grid = build(c);
		expect(grid.rotations.length).toBeGreaterThanOrEqual(c.stations.length);
		grid.rotations.forEach((rotation, i) => {
			expect(rotation.index).toBe(i);
			expect(rotation.startsAt.getTime()).toBe(START.getTime() + i * MINUTES * 60_000);
			expect(rotation.endsAt.getTime()).toBe(rotation.startsAt.getTime() + MINUTES * 60_000);
			expect(rotation.visits.map((v) => v.stationId)).toEqual(c.stations.map((s) => s.id));
		});
	});

	it.each(cases)('splits each booking into the fewest, most even groups that fit the smallest station ($name)', (c) => {
		const grid = build(c);
		const smallest = Math.min(...c.stations.map((s) => s.places));
		for (const booking of c.bookings) {
			const groups = grid.groups.filter((g) => g.bookingId === booking.bookingId);
			const sizes = groups.map((g) => g.size);
			expect(groups.length).toBe(Math.ceil(booking.places / smallest));
			expect(sizes.reduce((a, b) => a + b, 0)).toBe(booking.places);
			expect(Math.max(...sizes)).toBeLessThanOrEqual(smallest);
			expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
		}
		expect(new Set(grid.groups.map((g) => g.key)).size).toBe(grid.groups.length);
	});

	it.each(cases)('uses one rotation per lane or per station, whichever is more, and shares only when it saves rotations ($name)', (c) => {
		const grid = build(c);
		const n = c.stations.length;
		const lanes = lanesOf(grid);
		expect(grid.rotations.length).toBe(Math.max(n, lanes.length));
		if (grid.groups.length <= n) {
			expect(grid.rotations.every((r) => r.visits.every((v) => v.groups.length <= 1))).toBe(true);
		}
		// Lanes no two of which could merge number fewer than 2 x children / lane size.
		const smallest = Math.min(...c.stations.map((s) => s.places));
		const children = c.bookings.reduce((sum, b) => sum + b.places, 0);
		expect(grid.rotations.length).toBeLessThanOrEqual(Math.max(n, Math.ceil((2 * children) / smallest)));
	});

	it.each(cases)('gives the same grid for the same bookings in any order ($name)', (c) => {
		const shuffled = { ...c, bookings: [...c.bookings].reverse() };
		expect(build(shuffled)).toEqual(build(c));
		expect(build(c)).toEqual(build(c));
	});
});

describe('buildRotationGrid, splitting and labels', () => {
	const twelves = makeStations([12, 15, 15, 15, 15, 15, 15, 15]);

	it('splits 30 pupils into three groups of 10 when the smallest station takes 12', () => {
		const grid = buildRotationGrid({
			stations: twelves,
			bookings: [{ bookingId: 'b7', schoolName: 'Astor Primary', yearGroup: 'Year 6', places: 30 }],
			startsAt: START,
			rotationMinutes: MINUTES
		});
		expect(grid.groups).toEqual(
			[1, 2, 3].map((i) => ({
				key: `b7-${i}`,
				label: `Astor Primary, Year 6, group ${i} of 3`,
				bookingId: 'b7',
				schoolName: 'Astor Primary',
				size: 10
			}))
		);
	});

	it('keeps a class that fits the smallest station whole, labelled by school and year in words', () => {
		const grid = buildRotationGrid({
			stations: twelves,
			bookings: [{ bookingId: 'b8', schoolName: 'Vale View Primary', yearGroup: 'Y6', places: 12 }],
			startsAt: START,
			rotationMinutes: MINUTES
		});
		expect(grid.groups).toEqual([{ key: 'b8-1', label: 'Vale View Primary, Year 6', bookingId: 'b8', schoolName: 'Vale View Primary', size: 12 }]);
		expect(grid.rotations).toHaveLength(8);
	});

	it('lets small classes share a station when there are more classes than stations', () => {
		const grid = buildRotationGrid({
			stations: makeStations(UNIFORM),
			bookings: makeBookings(Array(12).fill(7)),
			startsAt: START,
			rotationMinutes: MINUTES
		});
		// Twelve lanes would need twelve rotations; pairs of 7 fit a station of 15, so eight do.
		expect(grid.rotations).toHaveLength(8);
		expect(grid.rotations[0]!.visits.filter((v) => v.groups.length === 2)).toHaveLength(4);
	});

	it('falls back to the tightest packing when spreading classes evenly would overfill a station', () => {
		// Dealt largest first to the emptiest of 9 lanes, the last 3 finds only lanes of 13 left:
		// this mix fits 9 lanes only as first-fit decreasing packs it.
		const grid = buildRotationGrid({
			stations: makeStations(UNIFORM),
			bookings: makeBookings([13, 13, 13, 12, 9, 9, 8, 8, 7, 7, 6, 5, 5, 4, 3, 3, 3]),
			startsAt: START,
			rotationMinutes: MINUTES
		});
		expect(grid.rotations).toHaveLength(9);
		const fullest = Math.max(...grid.rotations.flatMap((r) => r.visits.map((v) => v.occupied)));
		expect(fullest).toBeLessThanOrEqual(15);
	});

	it('orders groups by school name, then year group, then booking id', () => {
		const grid = buildRotationGrid({
			stations: makeStations(UNIFORM),
			bookings: [
				{ bookingId: 'b3', schoolName: 'Whitfield Aspen', yearGroup: 'Year 6', places: 9 },
				{ bookingId: 'b2', schoolName: 'Aylesham Primary', yearGroup: 'Year 6', places: 9 },
				{ bookingId: 'b1', schoolName: 'Aylesham Primary', yearGroup: 'Year 6', places: 9 },
				{ bookingId: 'b4', schoolName: 'Aylesham Primary', yearGroup: 'Year 5', places: 9 }
			],
			startsAt: START,
			rotationMinutes: MINUTES
		});
		expect(grid.groups.map((g) => g.key)).toEqual(['b4-1', 'b1-1', 'b2-1', 'b3-1']);
	});
});

describe('buildRotationGrid, session length', () => {
	const sixteenClasses = {
		stations: makeStations(UNIFORM),
		bookings: makeBookings(Array(8).fill(30)), // 16 groups of 15, one per lane
		startsAt: START,
		rotationMinutes: MINUTES
	};

	it('reports a grid that runs past the end of the session, and still returns it', () => {
		const grid = buildRotationGrid({ ...sixteenClasses, endsAt: new Date('2019-06-10T12:30:00Z') });
		expect(grid.problems).toEqual(['The grid needs 16 rotations of 20 minutes (5 hours 20 minutes), longer than the session']);
		expect(grid.rotations).toHaveLength(16);
	});

	it('accepts a grid that ends exactly when the session ends', () => {
		const grid = buildRotationGrid({ ...sixteenClasses, endsAt: new Date('2019-06-10T14:20:00Z') });
		expect(grid.problems).toEqual([]);
	});
});

describe('buildRotationGrid, input it cannot use', () => {
	const bookings = makeBookings([20]);

	it('asks for stations first when there are none', () => {
		expect(buildRotationGrid({ stations: [], bookings, startsAt: START, rotationMinutes: MINUTES })).toEqual({
			groups: [],
			rotations: [],
			problems: ['Add the stations first']
		});
	});

	it('returns an empty grid, without a problem, when nothing is booked', () => {
		expect(buildRotationGrid({ stations: makeStations(UNIFORM), bookings: [], startsAt: START, rotationMinutes: MINUTES })).toEqual({
			groups: [],
			rotations: [],
			problems: []
		});
	});

	it.each([
		['a station with no places', makeStations([15, 0]), bookings, MINUTES],
		['a station with part of a place', makeStations([15, 2.5]), bookings, MINUTES],
		['a booking with no places', makeStations(UNIFORM), makeBookings([0]), MINUTES],
		['a rotation of no minutes', makeStations(UNIFORM), bookings, 0],
		['a rotation of NaN minutes', makeStations(UNIFORM), bookings, Number.NaN]
	])('refuses %s with a problem and no grid', (_, stations, bookingList, rotationMinutes) => {
		const grid = buildRotationGrid({ stations, bookings: bookingList, startsAt: START, rotationMinutes });
		expect(grid.problems).toHaveLength(1);
		expect(grid.groups).toEqual([]);
		expect(grid.rotations).toEqual([]);
	});
});

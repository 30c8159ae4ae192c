// The rotation grid of a carousel session (Safety in Action Week): class groups move round
// the workstations together, one station per rotation, until every group has been to every
// station once. Pure and dependency-free, so pages, exports and tests can all call it.
//
// How the grid is built:
// 1. Groups. Bookings are sorted (school name, year group, booking id). A booking with more
//    places than the smallest station holds is split into the fewest groups that fit, sizes
//    as even as possible (30 pupils, smallest station 12: 10/10/10).
// 2. Lanes. Groups that move round together form a lane of at most the smallest station's
//    places, so any station can take any lane. With n stations a grid never needs fewer than
//    n rotations, nor fewer than L rotations for L lanes (each rotation seats at most n lanes
//    and each lane needs n visits), so we aim for T = max(n, L_ffd) lanes, where L_ffd is the
//    fewest lanes first-fit decreasing finds. Groups are dealt, largest first, to the
//    least-filled of T lanes (worst-fit decreasing), which keeps groups apart while there is
//    room and shares a station only when that saves rotations; if that deal cannot fit every
//    group, the first-fit decreasing lanes are used instead.
// 3. Cycle. With L lanes and R = max(n, L) rotations, lane l spends rotation r at station
//    (l + r) mod R, and sits out the rotation when that number is n or more. For a fixed
//    rotation the lanes land on distinct stations; for a fixed lane the rotations cover every
//    station once. So R = n when L <= n, and R = L (the least possible) when L > n: the spare
//    lanes take turns to wait rather than waiting for whole waves.
// Larger stations could hold two lanes at once in a mixed-places session; we do not use that.

export interface CarouselStation {
	id: string;
	name: string;
	theme: string;
	/** Children the station takes in one rotation, 1 or more. */
	places: number;
}

export interface CarouselBooking {
	bookingId: string;
	schoolName: string;
	yearGroup: string;
	/** Confirmed places, 1 or more. */
	places: number;
}

export interface RotationGroup {
	/** Stable and unique: the booking id and the group number, e.g. `b42-2`. */
	key: string;
	label: string;
	bookingId: string;
	schoolName: string;
	size: number;
}

export interface StationVisit {
	stationId: string;
	groups: RotationGroup[];
	occupied: number;
}

export interface Rotation {
	index: number;
	startsAt: Date;
	endsAt: Date;
	/** One visit per station, in the order the stations were given; an idle station has no groups. */
	visits: StationVisit[];
}

export interface RotationGrid {
	groups: RotationGroup[];
	rotations: Rotation[];
	problems: string[];
}

export interface RotationGridInput {
	stations: CarouselStation[];
	bookings: CarouselBooking[];
	startsAt: Date;
	rotationMinutes: number;
	/** The end of the session; a grid running past it is reported as a problem. */
	endsAt?: Date;
}

const MINUTE_MS = 60_000;

export function buildRotationGrid(input: RotationGridInput): RotationGrid {
	const { stations, bookings, startsAt, rotationMinutes, endsAt } = input;

	if (stations.length === 0) return noGrid(['Add the stations first']);
	const problems = inputProblems(input);
	if (problems.length > 0) return noGrid(problems);
	if (bookings.length === 0) return noGrid([]);

	const laneCapacity = Math.min(...stations.map((s) => s.places));
	const groups = splitBookings(bookings, laneCapacity);
	const lanes = packLanes(groups, laneCapacity, stations.length);

	const rotationCount = Math.max(stations.length, lanes.length);
	const rotations: Rotation[] = [];
	for (let r = 0; r < rotationCount; r++) {
		const visits: StationVisit[] = stations.map((station) => ({
			stationId: station.id,
			groups: [],
			occupied: 0
		}));
		lanes.forEach((lane, l) => {
			const visit = visits[(l + r) % rotationCount];
			if (!visit) return; // this lane waits out the rotation
			visit.groups.push(...lane.groups);
			visit.occupied += lane.load;
		});
		rotations.push({
			index: r,
			startsAt: new Date(startsAt.getTime() + r * rotationMinutes * MINUTE_MS),
			endsAt: new Date(startsAt.getTime() + (r + 1) * rotationMinutes * MINUTE_MS),
			visits
		});
	}

	const gridEnd = rotations[rotations.length - 1]?.endsAt;
	if (endsAt && gridEnd && gridEnd.getTime() > endsAt.getTime()) {
		problems.push(
			`The grid needs ${plural(rotationCount, 'rotation')} of ${plural(rotationMinutes, 'minute')} ` +
				`(${duration(rotationCount * rotationMinutes)}), longer than the session`
		);
	}

	return { groups, rotations, problems };
}

function noGrid(problems: string[]): RotationGrid {
	return { groups: [], rotations: [], problems };
}

function isWholeNumberFrom1(n: number): boolean {
	return Number.isInteger(n) && n >= 1;
}

function inputProblems({ stations, bookings, startsAt, rotationMinutes, endsAt }: RotationGridInput): string[] {
	const problems: string[] = [];
	if (!isWholeNumberFrom1(rotationMinutes)) {
		problems.push('Rotation length must be a whole number of minutes, 1 or more');
	}
	if (Number.isNaN(startsAt.getTime())) problems.push('The session needs a start time');
	if (endsAt && Number.isNaN(endsAt.getTime())) problems.push('The session end time is not a valid time');
	const seen = new Set<string>();
	for (const station of stations) {
		if (seen.has(station.id)) problems.push(`Station ${station.name} is listed twice`);
		seen.add(station.id);
		if (!isWholeNumberFrom1(station.places)) {
			problems.push(`Places at station ${station.name} must be a whole number, 1 or more`);
		}
	}
	for (const booking of bookings) {
		if (!isWholeNumberFrom1(booking.places)) {
			problems.push(`Places booked by ${booking.schoolName} for ${yearGroupLabel(booking.yearGroup)} must be a whole number, 1 or more`);
		}
	}
	return problems;
}

/** Code-unit order, not locale order, so the grid is the same on every machine. */
function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The database's codes ("Y6", "R", as in $lib/year-groups, not imported to keep this module
 * standalone) and bare numbers ("6") read as "Year 6" and "Reception"; anything else
 * ("Year 6") is shown as given.
 */
function yearGroupLabel(yearGroup: string): string {
	const code = yearGroup.trim();
	if (code === 'R') return 'Reception';
	const year = /^Y?(\d{1,2})$/.exec(code)?.[1];
	return year ? `Year ${year}` : yearGroup;
}

function splitBookings(bookings: CarouselBooking[], maxSize: number): RotationGroup[] {
	const sorted = [...bookings].sort(
		(a, b) => compareText(a.schoolName, b.schoolName) || compareText(a.yearGroup, b.yearGroup) || compareText(a.bookingId, b.bookingId)
	);
	const groups: RotationGroup[] = [];
	for (const booking of sorted) {
		const count = Math.ceil(booking.places / maxSize);
		const base = Math.floor(booking.places / count);
		const larger = booking.places % count; // the first `larger` groups take one more child
		const label = `${booking.schoolName}, ${yearGroupLabel(booking.yearGroup)}`;
		for (let i = 1; i <= count; i++) {
			groups.push({
				key: `${booking.bookingId}-${i}`,
				label: count === 1 ? label : `${label}, group ${i} of ${count}`,
				bookingId: booking.bookingId,
				schoolName: booking.schoolName,
				size: base + (i <= larger ? 1 : 0)
			});
		}
	}
	return groups;
}

interface Lane {
	groups: RotationGroup[];
	load: number;
}

function packLanes(groups: RotationGroup[], capacity: number, stationCount: number): Lane[] {
	// Largest first; the stable sort keeps the booking order among equal sizes.
	const bySize = [...groups].sort((a, b) => b.size - a.size);

	const firstFit: Lane[] = [];
	for (const group of bySize) {
		const lane = firstFit.find((l) => l.load + group.size <= capacity);
		if (lane) addTo(lane, group);
		else firstFit.push({ groups: [group], load: group.size });
	}

	const target = Math.max(stationCount, firstFit.length);
	const spread: Lane[] = Array.from({ length: Math.min(target, groups.length) }, () => ({ groups: [], load: 0 }));
	for (const group of bySize) {
		let emptiest = spread[0];
		for (const lane of spread) if (emptiest && lane.load < emptiest.load) emptiest = lane;
		if (!emptiest || emptiest.load + group.size > capacity) return firstFit;
		addTo(emptiest, group);
	}
	return spread;
}

function addTo(lane: Lane, group: RotationGroup): void {
	lane.groups.push(group);
	lane.load += group.size;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function duration(minutes: number): string {
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	if (hours === 0) return plural(rest, 'minute');
	if (rest === 0) return plural(hours, 'hour');
	return `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}

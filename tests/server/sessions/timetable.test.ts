import { describe, expect, it } from 'vitest';
import { getTimetable } from '../../../src/lib/server/sessions/carousel.service';
import { makeCarouselSession } from '../../support/carousel-world';
import { useTestDatabase } from '../../support/database';
import { actorFor, makeSchool, makeUser } from '../../support/factories';

const t = useTestDatabase();

const schoolsIn = (grid: Awaited<ReturnType<typeof getTimetable>>['grid']) => [
	...new Set([...grid.groups, ...grid.rotations.flatMap((r) => r.visits.flatMap((v) => v.groups))].map((g) => g.schoolName))
];

describe('a carousel session’s timetable', () => {
	it('shows its lead every booked school’s groups', async () => {
		const world = await makeCarouselSession(t.db);
		const { grid } = await getTimetable(t.db, world.lead, world.sessionId);
		expect(schoolsIn(grid).sort()).toEqual(['Aardvark Primary', 'Zebra Primary']);
	});

	it('shows a school contact only their own school’s groups, at the times the whole grid gives them', async () => {
		const world = await makeCarouselSession(t.db);
		const contact = actorFor(await makeUser(t.db, { role: 'school', schoolId: world.zebra }));
		const full = (await getTimetable(t.db, world.lead, world.sessionId)).grid;

		const { grid } = await getTimetable(t.db, contact, world.sessionId);

		expect(schoolsIn(grid)).toEqual(['Zebra Primary']);
		const zebraVisits = (g: typeof grid) =>
			g.rotations.flatMap((r) =>
				r.visits.flatMap((v) => v.groups.filter((x) => x.schoolName === 'Zebra Primary').map((x) => `${r.index} ${v.stationId} ${x.key}`))
			);
		expect(zebraVisits(grid)).toEqual(zebraVisits(full));
		const seats = grid.rotations.flatMap((r) => r.visits.map((v) => v.occupied));
		expect(Math.max(...seats)).toBeLessThanOrEqual(12);
	});

	it('shows a school that has not booked no groups at all', async () => {
		const world = await makeCarouselSession(t.db);
		const primary = await makeSchool(t.db, { phase: 'primary' });
		const outsider = actorFor(await makeUser(t.db, { role: 'school', schoolId: primary.id }));
		const { grid } = await getTimetable(t.db, outsider, world.sessionId);
		expect(grid.groups).toEqual([]);
		expect(grid.rotations.flatMap((r) => r.visits.map((v) => v.occupied)).every((n) => n === 0)).toBe(true);
	});
});

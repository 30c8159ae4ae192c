import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../../src/lib/server/db/schema';
import { getDashboard, type TodoItem } from '../../../src/lib/server/dashboard/dashboard.service';
import { listSessionsFor } from '../../../src/lib/server/sessions/sessions.service';
import { useTestDatabase } from '../../support/database';
import { makeYoungPeople } from '../../support/attendance-world';
import { actorFor, makeBooking, makeProgramme, makeSchool, makeSession, makeUser } from '../../support/factories';

const t = useTestDatabase();

// The clock is fixed: Wednesday 20 March 2030, 10:00 in London (GMT), in the academic year 2029-30.
const NOW = new Date('2030-03-20T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

/** A lead and a programme they lead, of the given shape. */
async function ledProgramme(db: Kysely<DB>, shape: 'event' | 'cohort' | 'award' = 'event', lead?: Awaited<ReturnType<typeof makeUser>>) {
	const user = lead ?? (await makeUser(db, { role: 'lead' }));
	const programme = await makeProgramme(db, { shape });
	await db.insertInto('programme_lead').values({ programme_id: programme.id, user_id: user.id }).execute();
	return { lead: user, actor: actorFor(user), programmeId: programme.id };
}

async function todos(db: Kysely<DB>, actor: ReturnType<typeof actorFor>): Promise<Record<string, TodoItem>> {
	const dashboard = await getDashboard(db, actor, NOW);
	const list = 'todos' in dashboard ? dashboard.todos : undefined;
	if (!list) throw new Error(`no to-do list for ${dashboard.role}`);
	return Object.fromEntries(list.map((todo) => [todo.key, todo]));
}

async function needing(db: Kysely<DB>, actor: ReturnType<typeof actorFor>, need: 'register' | 'requests' | 'waiting' | 'places' | 'questionnaires') {
	return (await listSessionsFor(db, actor, { from: NOW, need, now: NOW })).map((s) => s.id).sort();
}

describe("a lead's registers to take", () => {
	it('counts started sessions with nothing recorded, of their own programmes only, and the sessions list shows the same', async () => {
		const { actor, programmeId, lead } = await ledProgramme(t.db);
		const other = await ledProgramme(t.db);
		const school = await makeSchool(t.db);
		const [pupil] = await makeYoungPeople(t.db, school.id, 'Y8', 1);

		const untaken = await makeSession(t.db, { programme_id: programmeId, starts_at: at(-2) });
		const startedAnHourAgo = await makeSession(t.db, { programme_id: programmeId, starts_at: new Date(NOW.getTime() - HOUR) });
		const counted = await makeSession(t.db, { programme_id: programmeId, starts_at: at(-3) });
		await t.db
			.insertInto('attendance_headcount')
			.values({ session_id: counted.id, school_id: school.id, year_group: 'Y8', count: 28, recorded_by: lead.id })
			.execute();
		const marked = await makeSession(t.db, { programme_id: programmeId, starts_at: at(-4) });
		await t.db.insertInto('attendance_mark').values({ session_id: marked.id, young_person_id: pupil!.id, status: 'present', recorded_by: lead.id }).execute();
		await makeSession(t.db, { programme_id: programmeId, starts_at: at(-5), status: 'cancelled' });
		await makeSession(t.db, { programme_id: programmeId, starts_at: at(1) });
		await makeSession(t.db, { programme_id: other.programmeId, starts_at: at(-2) });

		const list = await todos(t.db, actor);
		expect(list.register).toMatchObject({ count: 2, href: '/sessions?need=register' });
		expect(await needing(t.db, actor, 'register')).toEqual([untaken.id, startedAnHourAgo.id].sort());
		expect((await todos(t.db, other.actor)).register!.count).toBe(1);
	});
});

describe("a lead's bookings and places", () => {
	it('counts requests to approve, waiting lists with free places and sessions in the next 7 days with places left', async () => {
		const { actor, programmeId } = await ledProgramme(t.db);
		const other = await ledProgramme(t.db);

		// 20 places, 10 confirmed, two requests: two requests, and places left this week.
		const soon = await makeSession(t.db, { programme_id: programmeId, starts_at: at(3), capacity: 20 });
		await makeBooking(t.db, { session_id: soon.id, places: 10 });
		await makeBooking(t.db, { session_id: soon.id, places: 5, status: 'requested' });
		await makeBooking(t.db, { session_id: soon.id, places: 5, status: 'requested' });
		// Full, with a waiting list: nothing to do.
		const full = await makeSession(t.db, { programme_id: programmeId, starts_at: at(4), capacity: 10 });
		await makeBooking(t.db, { session_id: full.id, places: 10 });
		await makeBooking(t.db, { session_id: full.id, places: 5, status: 'waitlisted' });
		// 20 places free and a school waiting for all 25 it asked for: a waiting list with free places, not this week.
		const later = await makeSession(t.db, { programme_id: programmeId, starts_at: at(20), capacity: 30 });
		await makeBooking(t.db, { session_id: later.id, places: 10 });
		await makeBooking(t.db, { session_id: later.id, places: 25, status: 'waitlisted', whole_only: true });
		// Past the end of the seventh day (Thursday 28 March starts at midnight): not in the next 7 days.
		await makeSession(t.db, { programme_id: programmeId, starts_at: new Date('2030-03-28T09:00:00Z'), capacity: 10 });
		// Cancelled, and started: their requests wait for nothing.
		const cancelled = await makeSession(t.db, { programme_id: programmeId, starts_at: at(2), status: 'cancelled' });
		await makeBooking(t.db, { session_id: cancelled.id, places: 5, status: 'requested' });
		const started = await makeSession(t.db, { programme_id: programmeId, starts_at: at(-1) });
		await makeBooking(t.db, { session_id: started.id, places: 5, status: 'requested' });
		// Another lead's session with all of it.
		const theirs = await makeSession(t.db, { programme_id: other.programmeId, starts_at: at(2), capacity: 30 });
		await makeBooking(t.db, { session_id: theirs.id, places: 5, status: 'requested' });
		await makeBooking(t.db, { session_id: theirs.id, places: 10 });
		await makeBooking(t.db, { session_id: theirs.id, places: 40, status: 'waitlisted', whole_only: true });

		const list = await todos(t.db, actor);
		expect(list.requests).toMatchObject({ count: 2, href: '/sessions?need=requests' });
		expect(list.waiting).toMatchObject({ count: 1, href: '/sessions?need=waiting' });
		expect(list.places).toMatchObject({ count: 1, href: '/sessions?need=places' });
		expect(await needing(t.db, actor, 'requests')).toEqual([soon.id]);
		expect(await needing(t.db, actor, 'waiting')).toEqual([later.id]);
		expect(await needing(t.db, actor, 'places')).toEqual([soon.id]);
		const theirList = await todos(t.db, other.actor);
		expect([theirList.requests!.count, theirList.waiting!.count, theirList.places!.count]).toEqual([1, 1, 1]);
	});

	it('counts questionnaire codes still open, not closed or expired ones', async () => {
		const { actor, programmeId, lead } = await ledProgramme(t.db);
		const other = await ledProgramme(t.db);
		const code = (sessionId: string, code: string, openedHoursAgo: number, closed = false) => ({
			session_id: sessionId,
			code,
			opened_by: lead.id,
			opened_at: new Date(NOW.getTime() - openedHoursAgo * HOUR),
			expires_at: new Date(NOW.getTime() - openedHoursAgo * HOUR + 3 * HOUR),
			closed_at: closed ? NOW : null,
			closed_by: closed ? lead.id : null
		});
		const open = await makeSession(t.db, { programme_id: programmeId, starts_at: at(-0.05) });
		const closed = await makeSession(t.db, { programme_id: programmeId, starts_at: at(-0.05) });
		const expired = await makeSession(t.db, { programme_id: programmeId, starts_at: at(-1) });
		const theirs = await makeSession(t.db, { programme_id: other.programmeId, starts_at: at(-0.05) });
		await t.db
			.insertInto('outcome_session_code')
			.values([code(open.id, 'ABCDEF', 1), code(closed.id, 'BCDEFG', 1, true), code(expired.id, 'CDEFGH', 5), code(theirs.id, 'DEFGHJ', 1)])
			.execute();

		expect((await todos(t.db, actor)).questionnaires).toMatchObject({ count: 1, href: '/sessions?need=questionnaires' });
		expect(await needing(t.db, actor, 'questionnaires')).toEqual([open.id]);
	});
});

describe("a lead's mentoring pairs not met for 4 weeks", () => {
	it("counts this year's cohort only: a finished cohort's pairs and a cohort not yet begun are not waiting", async () => {
		const { actor, programmeId, lead } = await ledProgramme(t.db, 'cohort');
		const other = await ledProgramme(t.db, 'cohort');
		const school = await makeSchool(t.db);
		const mentors = await makeYoungPeople(t.db, school.id, 'Y12', 3, 'Mentor');
		const mentees = await makeYoungPeople(t.db, school.id, 'Y9', 12, 'Mentee');
		const cohort = (programme: string, year: number) =>
			t.db.insertInto('mentoring_cohort').values({ programme_id: programme, academic_year: year }).returning('id').executeTakeFirstOrThrow();
		const finished = await cohort(programmeId, 2028);
		const current = await cohort(programmeId, 2029);
		const next = await cohort(programmeId, 2030);
		const theirs = await cohort(other.programmeId, 2029);
		let m = 0;
		const pair = async (cohortId: string, createdDaysAgo: number, metDaysAgo: number[] = [], ended = false) => {
			const { id } = await t.db
				.insertInto('mentoring_pair')
				.values({
					cohort_id: cohortId,
					mentor_id: mentors[0]!.id,
					mentee_id: mentees[m++]!.id,
					created_at: at(-createdDaysAgo),
					ended_on: ended ? '2030-03-01' : null
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			for (const days of metDaysAgo) {
				const metOn = at(-days).toISOString().slice(0, 10);
				await t.db
					.insertInto('mentoring_meeting')
					.values({ pair_id: id, met_on: metOn, minutes: 30, topics: ['gangs'], recorded_by: lead.id })
					.execute();
			}
		};
		// The finished 2028-29 cohort: three pairs that never met again.
		await pair(finished.id, 400, [300]);
		await pair(finished.id, 400);
		await pair(finished.id, 400, [200]);
		// This year's: never met in two months (counts), met 40 days ago (counts), met exactly 28 days ago
		// (counts: 4 weeks without a meeting), met 10 days ago, made 5 days ago, ended.
		await pair(current.id, 60);
		await pair(current.id, 90, [80, 40]);
		await pair(current.id, 90, [28]);
		await pair(current.id, 90, [50, 10]);
		await pair(current.id, 5);
		await pair(current.id, 90, [], true);
		// Next year's cohort, made early: it has not begun.
		await pair(next.id, 60);
		// Another lead's.
		await pair(theirs.id, 60);

		expect((await todos(t.db, actor)).mentoring).toMatchObject({ count: 3, href: `/programmes/${programmeId}/mentoring?cohort=${current.id}` });
		expect((await todos(t.db, other.actor)).mentoring!.count).toBe(1);
	});
});

describe("a lead's awards to sign off", () => {
	it('counts participants whose days meet their level and who are not signed off yet', async () => {
		const { actor, programmeId, lead } = await ledProgramme(t.db, 'award');
		const other = await ledProgramme(t.db, 'award');
		const school = await makeSchool(t.db);
		const people = await makeYoungPeople(t.db, school.id, 'Y8', 4);
		const group = async (programme: string) =>
			t.db
				.insertInto('award_group')
				.values({ programme_id: programme, name: `Group ${programme}` })
				.returning('id')
				.executeTakeFirstOrThrow();
		const mine = await group(programmeId);
		const theirs = await group(other.programmeId);
		const participant = async (groupId: string, person: string, days: number, signedOff = false) => {
			const { id } = await t.db
				.insertInto('award_participant')
				.values({
					award_group_id: groupId,
					young_person_id: person,
					level: 'discovery',
					...(signedOff ? { signed_off_by: lead.id, signed_off_at: NOW, achieved_on: '2030-03-19' } : {})
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			for (let d = 1; d <= days; d++) {
				await t.db
					.insertInto('award_day')
					.values({ award_participant_id: id, day: `2030-03-0${d}`, challenges: ['discover', 'explore', 'conserve', 'share'], recorded_by: lead.id })
					.execute();
			}
		};
		await participant(mine.id, people[0]!.id, 4); // ready
		await participant(mine.id, people[1]!.id, 3); // a day short
		await participant(mine.id, people[2]!.id, 5, true); // signed off already
		await participant(theirs.id, people[3]!.id, 4); // another lead's

		expect((await todos(t.db, actor)).awards).toMatchObject({ count: 1, href: `/programmes/${programmeId}/awards/${mine.id}` });
		expect((await todos(t.db, other.actor)).awards!.count).toBe(1);
	});

	it('reads as done, with nothing to count, for a lead of no programmes', async () => {
		const lead = actorFor(await makeUser(t.db, { role: 'lead' }));
		const list = await todos(t.db, lead);
		expect(Object.values(list).map((todo) => todo.count)).toEqual([0, 0, 0, 0, 0, 0, 0]);
		expect(list.register!.none).toBe('No registers waiting');
	});
});

import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import {
	authoriseAudit,
	authoriseBooking,
	authoriseCalendarFeed,
	authoriseExport,
	authoriseOwnBookings,
	authoriseProgramme,
	authoriseRegister,
	authoriseReport,
	authoriseSchool,
	authoriseSchoolList,
	authoriseSession,
	authoriseSessionList,
	authoriseUsers,
	authoriseYoungPeople,
	authoriseYoungPerson,
	mayBooking,
	mayKeepSchool,
	mayManageProgramme,
	maySeeSchool,
	maySeeYoungPerson,
	maySession,
	schoolsInReach
} from '../../../src/lib/server/auth/policy';
import type { Actor } from '../../../src/lib/server/auth/session';
import type { DB } from '../../../src/lib/server/db/schema';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeBooking, makeProgramme, makeSchool, makeSession } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';

// The policy module answers every access question; each function here by every kind of user:
// an admin, a lead of every programme, a lead of one programme, a contact of a secondary school
// (A) that booked, a contact of a primary school (B) that did not, and a report viewer.

const t = useTestDatabase();

type Who = 'admin' | 'leadAll' | 'leadOne' | 'contactA' | 'contactB' | 'viewer';
const everyone: Who[] = ['admin', 'leadAll', 'leadOne', 'contactA', 'contactB', 'viewer'];

async function world(db: Kysely<DB>) {
	const schoolA = await makeSchool(db, { phase: 'secondary' });
	const schoolB = await makeSchool(db, { phase: 'primary' });
	const schoolC = await makeSchool(db, { phase: 'secondary' });
	const actors: Record<Who, Actor> = {
		admin: await makeActor(db, { role: 'admin' }),
		leadAll: await makeActor(db, { role: 'lead' }),
		leadOne: await makeActor(db, { role: 'lead' }),
		contactA: await makeActor(db, { role: 'school', schoolId: schoolA.id }),
		contactB: await makeActor(db, { role: 'school', schoolId: schoolB.id }),
		viewer: await makeActor(db, { role: 'viewer' })
	};
	const mine = await makeProgramme(db, { register_kind: 'named' });
	const other = await makeProgramme(db);
	await db
		.insertInto('programme_lead')
		.values([
			{ programme_id: mine.id, user_id: actors.leadAll.id },
			{ programme_id: other.id, user_id: actors.leadAll.id },
			{ programme_id: mine.id, user_id: actors.leadOne.id }
		])
		.execute();
	// A secondary session of each programme: contact A's school booked the first itself; a lead
	// booked the second for school C, on its behalf, not approved.
	const session = await makeSession(db, { programme_id: mine.id });
	const otherSession = await makeSession(db, { programme_id: other.id });
	const booking = await makeBooking(db, { session_id: session.id, school_id: schoolA.id, created_by: actors.contactA.id });
	const behalf = await makeBooking(db, { session_id: otherSession.id, school_id: schoolC.id, created_by: actors.leadAll.id, on_behalf: true });
	const pupilA = await makeYoungPerson(db, { school_id: schoolA.id });
	const pupilB = await makeYoungPerson(db, { school_id: schoolB.id });
	const pupilC = await makeYoungPerson(db, { school_id: schoolC.id });
	const bookingScope = (b: typeof booking, programmeId: string) => ({ ...b, programme_id: programmeId });
	return {
		actors,
		schoolA,
		schoolB,
		schoolC,
		mine,
		other,
		session,
		otherSession,
		booking: bookingScope(booking, mine.id),
		behalf: bookingScope(behalf, other.id),
		pupilA,
		pupilB,
		pupilC
	};
}

/** Who of everyone the predicate says yes to. */
async function whoMay(actors: Record<Who, Actor>, may: (actor: Actor) => Promise<boolean> | boolean): Promise<Who[]> {
	const yes: Who[] = [];
	for (const who of everyone) if (await may(actors[who])) yes.push(who);
	return yes;
}

/** Who of everyone the assertion lets through; each refusal must be a 404 with an `access.refused` row for that actor. */
async function whoPasses(db: Kysely<DB>, actors: Record<Who, Actor>, authorise: (actor: Actor) => Promise<unknown>): Promise<Who[]> {
	const yes: Who[] = [];
	for (const who of everyone) {
		const before = (await auditEvents(db, 'access.refused')).length;
		try {
			await authorise(actors[who]);
			yes.push(who);
			expect((await auditEvents(db, 'access.refused')).length).toBe(before);
		} catch (error) {
			expect(error).toMatchObject({ status: 404 });
			const rows = await auditEvents(db, 'access.refused');
			expect(rows.slice(before)).toMatchObject([{ actor_id: actors[who].id, detail: { role: actors[who].role } }]);
		}
	}
	return yes;
}

describe('the policy predicates', () => {
	it('programmes: admins and the programme’s leads manage it', async () => {
		const w = await world(t.db);
		expect(await whoMay(w.actors, (a) => mayManageProgramme(t.db, a, w.mine.id))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoMay(w.actors, (a) => mayManageProgramme(t.db, a, w.other.id))).toEqual(['admin', 'leadAll']);
		expect(await whoMay(w.actors, (a) => mayManageProgramme(t.db, a, 'not-a-uuid'))).toEqual(['admin']);
	});

	it('sessions: a school contact sees and books those open to their phase, or booked; only managers manage', async () => {
		const w = await world(t.db);
		expect(await whoMay(w.actors, (a) => maySession(t.db, a, w.session, 'see'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA']);
		expect(await whoMay(w.actors, (a) => maySession(t.db, a, w.session, 'book'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA']);
		expect(await whoMay(w.actors, (a) => maySession(t.db, a, w.session, 'manage'))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoMay(w.actors, (a) => maySession(t.db, a, w.otherSession, 'see'))).toEqual(['admin', 'leadAll', 'contactA']);
		// A primary session: contact B sees it; contact A does not, until their school books it.
		const primarySession = await makeSession(t.db, { programme_id: w.mine.id, year_groups: ['Y5', 'Y6'] });
		expect(await whoMay(w.actors, (a) => maySession(t.db, a, primarySession, 'see'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactB']);
		await makeBooking(t.db, { session_id: primarySession.id, school_id: w.schoolA.id, status: 'cancelled', created_by: w.actors.contactA.id });
		expect(await whoMay(w.actors, (a) => maySession(t.db, a, primarySession, 'see'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA', 'contactB']);
	});

	it('bookings: the school’s contact and the programme’s managers; only managers decide; only admins approve one made on a school’s behalf', async () => {
		const w = await world(t.db);
		expect(await whoMay(w.actors, (a) => mayBooking(t.db, a, w.booking, 'see'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA']);
		expect(await whoMay(w.actors, (a) => mayBooking(t.db, a, w.booking, 'change'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA']);
		expect(await whoMay(w.actors, (a) => mayBooking(t.db, a, w.booking, 'decide'))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoMay(w.actors, (a) => mayBooking(t.db, a, w.behalf, 'see'))).toEqual(['admin', 'leadAll']);
		expect(await whoMay(w.actors, (a) => mayBooking(t.db, a, w.behalf, 'approve'))).toEqual(['admin']);
	});

	it('schools: everyone but another school’s contact sees a school', async () => {
		const w = await world(t.db);
		expect(await whoMay(w.actors, (a) => maySeeSchool(a, w.schoolA.id))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA', 'viewer']);
		expect(await whoMay(w.actors, (a) => maySeeSchool(a, w.schoolB.id))).toEqual(['admin', 'leadAll', 'leadOne', 'contactB', 'viewer']);
	});

	it('young people: a lead keeps only schools that booked their programmes themselves, or whose booking an admin approved', async () => {
		const w = await world(t.db);
		expect(await whoMay(w.actors, (a) => mayKeepSchool(t.db, a, w.schoolA.id))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA']);
		expect(await whoMay(w.actors, (a) => mayKeepSchool(t.db, a, w.schoolB.id))).toEqual(['admin', 'contactB']);
		expect(await whoMay(w.actors, (a) => mayKeepSchool(t.db, a, w.schoolC.id))).toEqual(['admin']);
		expect(await whoMay(w.actors, (a) => maySeeYoungPerson(t.db, a, w.pupilA))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA']);
		expect(await whoMay(w.actors, (a) => maySeeYoungPerson(t.db, a, w.pupilC))).toEqual(['admin']);
		expect((await schoolsInReach(t.db, w.actors.leadAll))?.map((s) => s.id)).toEqual([w.schoolA.id]);

		await t.db.updateTable('booking').set({ approved_by: w.actors.admin.id, approved_at: new Date() }).where('id', '=', w.behalf.id).execute();
		expect(await whoMay(w.actors, (a) => mayKeepSchool(t.db, a, w.schoolC.id))).toEqual(['admin', 'leadAll']);
		expect(await whoMay(w.actors, (a) => maySeeYoungPerson(t.db, a, w.pupilC))).toEqual(['admin', 'leadAll']);
		expect((await schoolsInReach(t.db, w.actors.leadAll))?.map((s) => s.id).sort()).toEqual([w.schoolA.id, w.schoolC.id].sort());
		expect(await schoolsInReach(t.db, w.actors.admin)).toBeUndefined();
	});

	it('young people: a lead reaches one of another school enrolled by an admin, or marked on their register, not one they enrolled', async () => {
		const w = await world(t.db);
		const enrolment = await t.db
			.insertInto('enrolment')
			.values({
				programme_id: w.mine.id,
				young_person_id: w.pupilB.id,
				role: 'participant',
				stage: 'active',
				started_on: '2026-09-10',
				created_by: w.actors.leadOne.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		expect(await whoMay(w.actors, (a) => maySeeYoungPerson(t.db, a, w.pupilB))).toEqual(['admin', 'contactB']);
		await t.db.updateTable('enrolment').set({ created_by: w.actors.admin.id }).where('id', '=', enrolment.id).execute();
		expect(await whoMay(w.actors, (a) => maySeeYoungPerson(t.db, a, w.pupilB))).toEqual(['admin', 'leadAll', 'leadOne', 'contactB']);
		// Marked on a register of the other programme: its lead reaches them too.
		await t.db
			.insertInto('attendance_mark')
			.values({ session_id: w.otherSession.id, young_person_id: w.pupilC.id, status: 'present', recorded_by: w.actors.admin.id })
			.execute();
		expect(await whoMay(w.actors, (a) => maySeeYoungPerson(t.db, a, w.pupilC))).toEqual(['admin', 'leadAll']);
	});
});

describe('the policy assertions: a 404 and an audit row for everyone refused', () => {
	it('programmes', async () => {
		const w = await world(t.db);
		const { actors } = w;
		expect(await whoPasses(t.db, actors, (a) => authoriseProgramme(t.db, a, 'list'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA', 'contactB']);
		expect(await whoPasses(t.db, actors, (a) => authoriseProgramme(t.db, a, 'list_managed'))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoPasses(t.db, actors, (a) => authoriseProgramme(t.db, a, 'create'))).toEqual(['admin']);
		expect(await whoPasses(t.db, actors, (a) => authoriseProgramme(t.db, a, 'edit', w.mine.id))).toEqual(['admin']);
		expect(await whoPasses(t.db, actors, (a) => authoriseProgramme(t.db, a, 'manage', w.other.id))).toEqual(['admin', 'leadAll']);
	});

	it('sessions, registers and bookings', async () => {
		const w = await world(t.db);
		const { actors } = w;
		expect(await whoPasses(t.db, actors, (a) => authoriseSessionList(t.db, a))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA', 'contactB']);
		expect(await whoPasses(t.db, actors, (a) => authoriseSession(t.db, a, 'see', w.session.id, w.session))).toEqual([
			'admin',
			'leadAll',
			'leadOne',
			'contactA'
		]);
		expect(await whoPasses(t.db, actors, (a) => authoriseSession(t.db, a, 'book', w.session.id, undefined))).toEqual([]);
		expect(await whoPasses(t.db, actors, (a) => authoriseRegister(t.db, a, w.session.id, w.session))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoPasses(t.db, actors, (a) => authoriseBooking(t.db, a, 'decide', w.booking.id, w.booking))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoPasses(t.db, actors, (a) => authoriseBooking(t.db, a, 'approve', w.behalf.id, w.behalf))).toEqual(['admin']);
		expect(await whoPasses(t.db, actors, (a) => authoriseOwnBookings(t.db, a))).toEqual(['contactA', 'contactB']);
	});

	it('schools and young people', async () => {
		const w = await world(t.db);
		const { actors } = w;
		expect(await whoPasses(t.db, actors, (a) => authoriseSchool(t.db, a, 'list'))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoPasses(t.db, actors, (a) => authoriseSchool(t.db, a, 'see', w.schoolA.id))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA', 'viewer']);
		for (const action of ['create', 'edit', 'import'] as const) {
			expect(await whoPasses(t.db, actors, (a) => authoriseSchool(t.db, a, action, w.schoolA.id))).toEqual(['admin']);
		}
		expect(await whoPasses(t.db, actors, (a) => authoriseYoungPeople(t.db, a, 'keep'))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA', 'contactB']);
		expect(await whoPasses(t.db, actors, (a) => authoriseYoungPeople(t.db, a, 'import'))).toEqual(['contactA', 'contactB']);
		expect(await whoPasses(t.db, actors, (a) => authoriseSchoolList(t.db, a, 'list', w.schoolA.id))).toEqual(['admin', 'leadAll', 'leadOne', 'contactA']);
		expect(await whoPasses(t.db, actors, (a) => authoriseSchoolList(t.db, a, 'add', w.schoolC.id))).toEqual(['admin']);
		expect(await whoPasses(t.db, actors, (a) => authoriseSchoolList(t.db, a, 'import', w.schoolA.id))).toEqual(['contactA']);
		expect(await whoPasses(t.db, actors, (a) => authoriseYoungPerson(t.db, a, 'edit', w.pupilA.id, w.pupilA))).toEqual([
			'admin',
			'leadAll',
			'leadOne',
			'contactA'
		]);
		expect(await whoPasses(t.db, actors, (a) => authoriseYoungPerson(t.db, a, 'see', w.pupilB.id, w.pupilB))).toEqual(['admin', 'contactB']);
	});

	it('reports, exports, users, the audit log, the outbox and calendar feeds', async () => {
		const w = await world(t.db);
		const { actors } = w;
		expect(await whoPasses(t.db, actors, (a) => authoriseReport(t.db, a, 'see'))).toEqual(everyone);
		expect(await whoPasses(t.db, actors, (a) => authoriseReport(t.db, a, 'district'))).toEqual(['admin', 'leadAll', 'leadOne', 'viewer']);
		expect(await whoPasses(t.db, actors, (a) => authoriseReport(t.db, a, 'pcc_return'))).toEqual(['admin', 'leadAll', 'leadOne', 'viewer']);
		expect(await whoPasses(t.db, actors, (a) => authoriseReport(t.db, a, 'school', w.schoolB.id))).toEqual([
			'admin',
			'leadAll',
			'leadOne',
			'contactB',
			'viewer'
		]);
		expect(await whoPasses(t.db, actors, (a) => authoriseReport(t.db, a, 'programme', w.other.id))).toEqual(['admin', 'leadAll']);
		expect(await whoPasses(t.db, actors, (a) => authoriseReport(t.db, a, 'narrative', w.mine.id))).toEqual(['admin', 'leadAll', 'leadOne']);
		expect(await whoPasses(t.db, actors, (a) => authoriseExport(t.db, a, 'pcc_return'))).toEqual(['admin', 'leadAll', 'leadOne', 'viewer']);
		expect(await whoPasses(t.db, actors, (a) => authoriseExport(t.db, a, 'schools'))).toEqual(['admin', 'leadAll', 'leadOne', 'viewer']);
		expect(await whoPasses(t.db, actors, (a) => authoriseUsers(t.db, a))).toEqual(['admin']);
		expect(await whoPasses(t.db, actors, (a) => authoriseAudit(t.db, a))).toEqual(['admin']);
		expect(await whoPasses(t.db, actors, (a) => authoriseCalendarFeed(t.db, a))).toEqual(['contactA', 'contactB']);
	});

	it('keeps free text out of the audit row’s entity id', async () => {
		const w = await world(t.db);
		await expect(authoriseYoungPerson(t.db, w.actors.viewer, 'see', 'abc<script>', undefined)).rejects.toMatchObject({ status: 404 });
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ entity_type: 'young_person', entity_id: null }]);
	});
});

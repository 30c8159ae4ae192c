import type { Kysely } from 'kysely';
import type { DB, ProgrammeShape, RegisterKind } from '../../src/lib/server/db/schema';
import { makeActor, makeBooking, makeProgramme, makeSchool, makeSession } from './factories';

// A lead's reach over young people: the schools booked (not cancelled) on sessions of the
// programmes they lead. Sessions are on 1 December 2026, in the academic year 2026-27, so a
// young person in Reception in 2018 is in Year 8 there, as the Year 8 bookings expect.

export const SESSION_START = new Date('2026-12-01T10:00:00Z');

/** A programme led by `leadId`, with a session on SESSION_START. */
export async function makeLedProgramme(db: Kysely<DB>, leadId: string, options: { shape?: ProgrammeShape; registerKind?: RegisterKind } = {}) {
	const programme = await makeProgramme(db, { shape: options.shape ?? 'event', register_kind: options.registerKind ?? 'named' });
	await db.insertInto('programme_lead').values({ programme_id: programme.id, user_id: leadId }).execute();
	const session = await makeSession(db, { programme_id: programme.id, starts_at: SESSION_START });
	return { programme, session };
}

/**
 * A lead with a programme at whose session `bookedSchool` holds Year 8 places; another lead's
 * programme, booked by `otherSchool`; and `unbookedSchool`, booked nowhere.
 */
export async function makeLeadWorld(db: Kysely<DB>, options: { shape?: ProgrammeShape } = {}) {
	const lead = await makeActor(db, { role: 'lead' });
	const otherLead = await makeActor(db, { role: 'lead' });
	const { programme, session } = await makeLedProgramme(db, lead.id, options);
	const { programme: otherProgramme, session: otherSession } = await makeLedProgramme(db, otherLead.id);
	const bookedSchool = await makeSchool(db, { name: 'Aycliffe Academy' });
	const otherSchool = await makeSchool(db, { name: 'Balfour School' });
	const unbookedSchool = await makeSchool(db, { name: 'Capel Primary' });
	await makeBooking(db, { session_id: session.id, school_id: bookedSchool.id, created_by: lead.id });
	await makeBooking(db, { session_id: otherSession.id, school_id: otherSchool.id, created_by: otherLead.id });
	return { lead, otherLead, programme, session, otherProgramme, otherSession, bookedSchool, otherSchool, unbookedSchool };
}

export async function markAttendance(db: Kysely<DB>, sessionId: string, youngPersonId: string, recordedBy: string) {
	await db.insertInto('attendance_mark').values({ session_id: sessionId, young_person_id: youngPersonId, status: 'late', recorded_by: recordedBy }).execute();
}

/** An award group of the programme in which the young person achieved Discovery (signed off), with `days` days logged. */
export async function makeAwardProgress(db: Kysely<DB>, programmeId: string, youngPersonId: string, recordedBy: string, days = 2) {
	const group = await db.insertInto('award_group').values({ programme_id: programmeId, name: 'Samphire Hoe group' }).returning('id').executeTakeFirstOrThrow();
	const participant = await db
		.insertInto('award_participant')
		.values({
			award_group_id: group.id,
			young_person_id: youngPersonId,
			level: 'discovery',
			signed_off_by: recordedBy,
			signed_off_at: new Date('2026-11-20T12:00:00Z'),
			achieved_on: '2026-11-20'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	for (let i = 0; i < days; i++) {
		await db
			.insertInto('award_day')
			.values({ award_participant_id: participant.id, day: `2026-10-0${i + 1}`, challenges: ['discover', 'conserve'], recorded_by: recordedBy })
			.execute();
	}
	return participant;
}

export async function enrol(db: Kysely<DB>, programmeId: string, youngPersonId: string, stage: 'applied' | 'enrolled' | 'active' = 'active') {
	return db
		.insertInto('enrolment')
		.values({ programme_id: programmeId, young_person_id: youngPersonId, role: 'participant', stage, started_on: '2026-09-10' })
		.returning('id')
		.executeTakeFirstOrThrow();
}

import type { Kysely } from 'kysely';
import type { DB, YearGroup } from '../../src/lib/server/db/schema';
import { createCohort } from '../../src/lib/server/mentoring/mentoring.service';
import { ACADEMIC_YEAR, makeYoungPeople } from './attendance-world';
import { createLedProgramme, type ProgrammeWorld } from './booking-world';
import { makeBooking, makeSchool, makeSession } from './factories';

// A Peer Mentoring programme with a cohort for 2029-30 and young people in the year groups a
// test asks for. The clock is explicit: "now" is 20 March 2030, inside that academic year.

export { ACADEMIC_YEAR };
export const NOW = new Date('2030-03-20T10:00:00Z');
export const TODAY = '2030-03-20';

export interface MentoringWorld extends ProgrammeWorld {
	cohortId: string;
	schoolId: string;
}

export async function makeMentoringWorld(db: Kysely<DB>, maxMentees = '20'): Promise<MentoringWorld> {
	const world = await createLedProgramme(db, { shape: 'cohort', registerKind: 'named', yearGroups: ['Y8', 'Y9', 'Y12', 'Y13'] });
	const result = await createCohort(db, world.lead, world.programmeId, { academicYear: String(ACADEMIC_YEAR), maxMentees });
	if (!result.ok) throw new Error(`createCohort refused the test cohort: ${JSON.stringify(result)}`);
	// The school has booked a session of the programme, which puts its young people within the lead's reach.
	const school = await makeSchool(db);
	const session = await makeSession(db, { programme_id: world.programmeId });
	await makeBooking(db, { session_id: session.id, school_id: school.id, created_by: world.admin.id });
	return { ...world, cohortId: result.id, schoolId: school.id };
}

/** Ids of `count` young people at the world's school in a year group of 2029-30. */
export async function people(db: Kysely<DB>, world: MentoringWorld, yearGroup: YearGroup, count = 1, tag = 'Pupil'): Promise<string[]> {
	return (await makeYoungPeople(db, world.schoolId, yearGroup, count, tag)).map((p) => p.id);
}

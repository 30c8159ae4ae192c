import type { Kysely } from 'kysely';
import type { Actor } from '../../src/lib/server/auth/session';
import type { DB, YearGroup } from '../../src/lib/server/db/schema';
import { createLedProgramme, scheduleLeadSession, type ProgrammeWorld } from './booking-world';
import { makeBooking, makeSchool } from './factories';

// Registers need young people on schools' lists; they are inserted directly, as the school
// list import would leave them. The default session (booking-world) is on Wednesday 20 March
// 2030 at 09:30 in London, in the academic year 2029-30.

export const ACADEMIC_YEAR = 2029;
/** Before the default session starts, and after. */
export const BEFORE_START = new Date('2030-03-20T09:00:00Z');
export const STARTED = new Date('2030-03-20T10:00:00Z');

/** The reception_year of someone in this year group in an academic year. */
export function receptionYearFor(yearGroup: YearGroup, academicYear = ACADEMIC_YEAR): number {
	return academicYear - (yearGroup === 'R' ? 0 : Number(yearGroup.slice(1)));
}

/** `count` young people at a school in a year group, named "First<n> Last<n>" with a tag to find them by. */
export async function makeYoungPeople(db: Kysely<DB>, schoolId: string, yearGroup: YearGroup, count: number, tag = 'Pupil') {
	if (count === 0) return [];
	return db
		.insertInto('young_person')
		.values(
			Array.from({ length: count }, (_, i) => ({
				school_id: schoolId,
				first_name: `${tag}${i}`,
				last_name: `Surname${String(count - i).padStart(4, '0')}`,
				reception_year: receptionYearFor(yearGroup)
			}))
		)
		.returning(['id', 'first_name', 'last_name', 'school_id'])
		.execute();
}

export interface RegisterWorld extends ProgrammeWorld {
	sessionId: string;
	schoolId: string;
}

/** A named-register programme with one lead and a session at which a school holds Year 8 places. */
export async function makeNamedSession(db: Kysely<DB>, places = 30): Promise<RegisterWorld> {
	const world = await createLedProgramme(db, { registerKind: 'named' });
	const sessionId = await scheduleLeadSession(db, world, { capacity: String(Math.max(places, 30)) });
	const school = await makeSchool(db);
	await makeBooking(db, { session_id: sessionId, school_id: school.id, year_group: 'Y8', places, created_by: world.lead.id });
	return { ...world, sessionId, schoolId: school.id };
}

/** A headcount workshop for parents and Year 8, with bookings from two schools. */
export async function makeHeadcountSession(db: Kysely<DB>): Promise<RegisterWorld & { otherSchoolId: string }> {
	const world = await createLedProgramme(db, { registerKind: 'headcount', shape: 'workshop', yearGroups: ['Y8', 'parents'] });
	const sessionId = await scheduleLeadSession(db, world, { yearGroups: ['Y8', 'parents'] });
	const school = await makeSchool(db, { name: 'Aardvark Academy' });
	const other = await makeSchool(db, { name: 'Zebra School' });
	await makeBooking(db, { session_id: sessionId, school_id: school.id, year_group: 'parents', places: 10, created_by: world.lead.id });
	await makeBooking(db, { session_id: sessionId, school_id: school.id, year_group: 'Y8', places: 10, created_by: world.lead.id });
	await makeBooking(db, { session_id: sessionId, school_id: other.id, year_group: 'parents', places: 5, created_by: world.lead.id });
	return { ...world, sessionId, schoolId: school.id, otherSchoolId: other.id };
}

export async function storedMarks(db: Kysely<DB>, sessionId: string) {
	return db.selectFrom('attendance_mark').select(['young_person_id', 'status', 'recorded_by']).where('session_id', '=', sessionId).execute();
}

export type { Actor };

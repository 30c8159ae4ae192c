import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { getRegister } from '../../../src/lib/server/attendance/attendance.service';
import type { Actor } from '../../../src/lib/server/auth/session';
import { approveOnBehalf, cancelBooking, getBooking, listSessionBookings } from '../../../src/lib/server/bookings/bookings.service';
import type { DB } from '../../../src/lib/server/db/schema';
import { enrolYoungPerson, getEnrolChoices } from '../../../src/lib/server/enrolments/enrolments.service';
import { importYoungPeople, previewYoungPeopleImport } from '../../../src/lib/server/young-people/young-people.import';
import {
	addYoungPerson,
	archiveYoungPerson,
	getYoungPerson,
	getYoungPersonRecord,
	listSchoolChoices,
	listYoungPeople,
	updateYoungPerson
} from '../../../src/lib/server/young-people/young-people.service';
import type { YoungPersonValues } from '../../../src/lib/server/young-people/young-people.schema';
import { book, createLedProgramme, OPEN, scheduleLeadSession } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeSchool } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';

// The attack of issue 10: a lead who leads only the parents' Gang Awareness Workshops books one
// place for a primary school that never booked, to reach its young people (names, SEN, free
// school meals). A booking made on a school's behalf widens no reach until an admin approves it.

const t = useTestDatabase();
const notFound = expect.objectContaining({ status: 404 });

/** In Year 4 in 2029-30, the academic year of OPEN. */
const RECEPTION_2025 = 2025;

const values = (overrides: Partial<YoungPersonValues> = {}): YoungPersonValues => ({
	first_name: 'Tomasz',
	last_name: 'Wiśniewski',
	year_group: 'Y4',
	gender: '',
	sen: 'yes',
	free_school_meals: 'yes',
	...overrides
});

const CSV = 'first_name,last_name,year_group,gender,sen,free_school_meals\r\nLena,Novak,Y4,,,\r\n';

async function gangAwarenessWorld(db: Kysely<DB>) {
	const world = await createLedProgramme(db, { name: 'Gang Awareness Workshops', shape: 'workshop', yearGroups: ['parents'], registerKind: 'headcount' });
	const sessionId = await scheduleLeadSession(db, world, { yearGroups: ['parents'] });
	const primary = await makeSchool(db, { name: 'Capel-le-Ferne Primary School', phase: 'primary' });
	const pupil = await makeYoungPerson(db, { school_id: primary.id, first_name: 'Amira', reception_year: RECEPTION_2025, sen: true, free_school_meals: true });
	return { ...world, sessionId, primary, pupil };
}

/** Every way a lead might read or change a school's young people, each answered or refused. */
async function attempts(db: Kysely<DB>, lead: Actor, schoolId: string, pupilId: string) {
	return {
		list: () => listYoungPeople(db, lead, schoolId, OPEN),
		see: () => getYoungPerson(db, lead, pupilId, OPEN),
		record: () => getYoungPersonRecord(db, lead, pupilId, OPEN),
		edit: () => updateYoungPerson(db, lead, pupilId, values({ first_name: 'Amira', last_name: 'Okafor', sen: 'no' }), OPEN),
		add: () => addYoungPerson(db, lead, schoolId, values(), OPEN),
		previewImport: () => previewYoungPeopleImport(db, lead, schoolId, CSV, OPEN),
		import: () => importYoungPeople(db, lead, schoolId, CSV, OPEN)
	};
}

describe('a lead booking on a school’s behalf', () => {
	it('is flagged on the booking and the session’s bookings, and reaches none of the school’s young people until an admin approves it', async () => {
		const { admin, lead, programmeId, sessionId, primary, pupil } = await gangAwarenessWorld(t.db);

		const booked = await book(t.db, lead, sessionId, 1, OPEN, { schoolId: primary.id, yearGroup: 'parents' });
		expect(booked).toMatchObject({ ok: true, status: 'confirmed' });
		const bookingId = booked.ok ? booked.bookingId : '';
		const stored = await t.db
			.selectFrom('booking')
			.select(['on_behalf', 'approved_by', 'approved_at', 'created_by'])
			.where('id', '=', bookingId)
			.executeTakeFirstOrThrow();
		expect(stored).toEqual({ on_behalf: true, approved_by: null, approved_at: null, created_by: lead.id });
		expect(await getBooking(t.db, lead, bookingId)).toMatchObject({ on_behalf: true, approved_at: null, made_by_name: lead.name, approvable: false });
		expect(await getBooking(t.db, admin, bookingId)).toMatchObject({ approvable: true });
		expect(await listSessionBookings(t.db, lead, sessionId, programmeId)).toMatchObject([{ id: bookingId, on_behalf: true, made_by_name: lead.name }]);

		// Every door to the school's young people: a 404, with an audit row each.
		const before = (await auditEvents(t.db, 'access.refused')).length;
		const tries = await attempts(t.db, lead, primary.id, pupil.id);
		for (const attempt of Object.values(tries)) await expect(attempt()).rejects.toEqual(notFound);
		expect((await listSchoolChoices(t.db, lead)).map((s) => s.id)).not.toContain(primary.id);
		await expect(getEnrolChoices(t.db, lead, programmeId, primary.id, OPEN)).rejects.toEqual(notFound);
		const enrol = { schoolId: primary.id, youngPersonId: pupil.id, role: 'participant', stage: 'active', startedOn: '2030-03-01' };
		await expect(enrolYoungPerson(t.db, lead, programmeId, enrol, OPEN)).rejects.toEqual(notFound);
		const refusals = (await auditEvents(t.db, 'access.refused')).slice(before);
		expect(refusals).toHaveLength(Object.keys(tries).length + 2);
		expect(refusals.every((r) => r.actor_id === lead.id && r.detail && (r.detail as { role: string }).role === 'lead')).toBe(true);
		expect(refusals.map((r) => r.entity_id)).toEqual([primary.id, pupil.id, pupil.id, pupil.id, primary.id, primary.id, primary.id, primary.id, primary.id]);

		// Nothing changed, and the lead cannot approve their own booking.
		expect(await t.db.selectFrom('young_person').select(['first_name', 'sen']).where('school_id', '=', primary.id).execute()).toEqual([
			{ first_name: 'Amira', sen: true }
		]);
		await expect(approveOnBehalf(t.db, lead, bookingId)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'booking.behalf_approved')).toEqual([]);

		// An admin approves: now the booking counts as the school's, and the lead may keep the list.
		expect(await approveOnBehalf(t.db, admin, bookingId, OPEN)).toEqual({ ok: true });
		expect(await auditEvents(t.db, 'booking.behalf_approved')).toMatchObject([
			{ actor_id: admin.id, entity_type: 'booking', entity_id: bookingId, detail: { schoolId: primary.id } }
		]);
		expect(await approveOnBehalf(t.db, admin, bookingId, OPEN)).toMatchObject({ ok: false, code: 'refused', reason: 'not_on_behalf' });

		const now = await attempts(t.db, lead, primary.id, pupil.id);
		expect((await now.list()).youngPeople.map((p) => p.first_name)).toEqual(['Amira']);
		expect(await now.see()).toMatchObject({ id: pupil.id, sen: true, free_school_meals: true });
		expect(await now.record()).toMatchObject({ person: { id: pupil.id } });
		expect(await now.edit()).toEqual({ ok: true, id: pupil.id });
		expect(await now.add()).toEqual({ ok: true, id: expect.any(String) });
		expect((await listSchoolChoices(t.db, lead)).map((s) => s.id)).toContain(primary.id);
		expect(await getEnrolChoices(t.db, lead, programmeId, primary.id, OPEN)).toMatchObject({ school: { id: primary.id } });
		// Importing a file stays with the school's own contacts.
		await expect(now.import()).rejects.toEqual(notFound);
	});

	it('reaches the school at once when the school’s own contact books, or an admin books for it', async () => {
		const { admin, lead, sessionId } = await gangAwarenessWorld(t.db);
		const own = await makeSchool(t.db, { phase: 'primary' });
		const contact = await makeActor(t.db, { role: 'school', schoolId: own.id });
		const forIt = await makeSchool(t.db, { phase: 'primary' });
		expect(await book(t.db, contact, sessionId, 1, OPEN, { yearGroup: 'parents' })).toMatchObject({ ok: true });
		expect(await book(t.db, admin, sessionId, 1, OPEN, { schoolId: forIt.id, yearGroup: 'parents' })).toMatchObject({ ok: true });
		const rows = await t.db
			.selectFrom('booking')
			.select(['school_id', 'on_behalf', 'approved_by'])
			.where('session_id', '=', sessionId)
			.orderBy('created_at')
			.execute();
		expect(rows).toEqual([
			{ school_id: own.id, on_behalf: false, approved_by: null },
			{ school_id: forIt.id, on_behalf: true, approved_by: admin.id }
		]);
		expect((await listSchoolChoices(t.db, lead)).map((s) => s.id).sort()).toEqual([own.id, forIt.id].sort());
	});

	it('stops reaching the school when the approved booking is cancelled', async () => {
		const { admin, lead, sessionId, primary, pupil } = await gangAwarenessWorld(t.db);
		const booked = await book(t.db, lead, sessionId, 1, OPEN, { schoolId: primary.id, yearGroup: 'parents' });
		const bookingId = booked.ok ? booked.bookingId : '';
		await approveOnBehalf(t.db, admin, bookingId, OPEN);
		expect(await getYoungPerson(t.db, lead, pupil.id, OPEN)).toMatchObject({ id: pupil.id });
		expect(await cancelBooking(t.db, lead, bookingId, OPEN)).toEqual({ ok: true });
		await expect(getYoungPerson(t.db, lead, pupil.id, OPEN)).rejects.toEqual(notFound);
		await expect(approveOnBehalf(t.db, admin, bookingId, OPEN)).resolves.toMatchObject({ ok: false, reason: 'not_on_behalf' });
	});
});

describe('a named register', () => {
	it('names none of a school’s young people for a booking made on its behalf until an admin approves it', async () => {
		const world = await createLedProgramme(t.db, { registerKind: 'named' });
		const sessionId = await scheduleLeadSession(t.db, world);
		const school = await makeSchool(t.db, { phase: 'secondary' });
		// Reception in 2022: Year 7 in 2029-30, the year group booked.
		await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Jonah', reception_year: 2022 });
		const booked = await book(t.db, world.lead, sessionId, 1, OPEN, { schoolId: school.id });
		expect((await getRegister(t.db, world.lead, sessionId)).schools).toEqual([]);
		await approveOnBehalf(t.db, world.admin, booked.ok ? booked.bookingId : '', OPEN);
		const { schools } = await getRegister(t.db, world.lead, sessionId);
		expect(schools.map((s) => [s.schoolId, s.people.map((p) => p.firstName)])).toEqual([[school.id, ['Jonah']]]);
	});
});

describe('enrolments and reach', () => {
	it('lets an admin’s enrolment reach a young person of another school, but not a lead’s own', async () => {
		const { admin, lead, programmeId, sessionId, primary, pupil } = await gangAwarenessWorld(t.db);
		// The school booked for itself, so the lead may enrol its young people.
		const contact = await makeActor(t.db, { role: 'school', schoolId: primary.id });
		const own = await book(t.db, contact, sessionId, 1, OPEN, { yearGroup: 'parents' });
		const enrol = { schoolId: primary.id, youngPersonId: pupil.id, role: 'participant', stage: 'active', startedOn: '2030-03-01' };
		expect(await enrolYoungPerson(t.db, lead, programmeId, enrol, OPEN)).toMatchObject({ ok: true });
		expect(await t.db.selectFrom('enrolment').select('created_by').where('young_person_id', '=', pupil.id).execute()).toEqual([{ created_by: lead.id }]);
		// Once the school's booking is cancelled, the lead's own enrolment keeps nothing in reach.
		await cancelBooking(t.db, contact, own.ok ? own.bookingId : '', OPEN);
		await expect(getYoungPerson(t.db, lead, pupil.id, OPEN)).rejects.toEqual(notFound);
		// An admin's enrolment of the same young person does.
		await t.db.updateTable('enrolment').set({ created_by: admin.id }).where('young_person_id', '=', pupil.id).execute();
		expect(await getYoungPerson(t.db, lead, pupil.id, OPEN)).toMatchObject({ id: pupil.id });
		await expect(listYoungPeople(t.db, lead, primary.id, OPEN)).rejects.toEqual(notFound);
		await expect(archiveYoungPerson(t.db, await makeActor(t.db, { role: 'lead' }), pupil.id, OPEN)).rejects.toEqual(notFound);
	});
});

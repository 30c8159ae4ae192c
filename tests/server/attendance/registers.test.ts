import { describe, expect, it } from 'vitest';
import { getHeadcounts, getMarkLabels, getRegister, saveHeadcounts, saveMarkLabels, saveMarks } from '../../../src/lib/server/attendance/attendance.service';
import { makeContact, createLedProgramme, scheduleLeadSession } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { BEFORE_START, makeHeadcountSession, makeNamedSession, makeYoungPeople, STARTED, storedMarks } from '../../support/attendance-world';
import { auditEvents, makeActor, makeBooking, makeSchool } from '../../support/factories';

const t = useTestDatabase();

const everyone = (register: Awaited<ReturnType<typeof getRegister>>) => register.schools.flatMap((s) => s.people);

describe('the named register', () => {
	it('lists the booked schools’ young people of the booked year group and those enrolled, not others', async () => {
		const world = await makeNamedSession(t.db);
		const booked = await makeYoungPeople(t.db, world.schoolId, 'Y8', 3, 'Booked');
		await makeYoungPeople(t.db, world.schoolId, 'Y7', 2, 'WrongYear');
		const unbooked = await makeSchool(t.db, { name: 'Aaa Unbooked School' });
		await makeYoungPeople(t.db, unbooked.id, 'Y8', 2, 'Unbooked');
		// A school whose booking waits for places it has not been granted brings nobody yet.
		const waiting = await makeSchool(t.db);
		await makeBooking(t.db, { session_id: world.sessionId, school_id: waiting.id, status: 'waitlisted', places: 5, confirmed_places: 0 });
		await makeYoungPeople(t.db, waiting.id, 'Y8', 2, 'Waiting');
		const [enrolled] = await makeYoungPeople(t.db, unbooked.id, 'Y10', 1, 'Enrolled');
		const [withdrawn] = await makeYoungPeople(t.db, unbooked.id, 'Y10', 1, 'Withdrawn');
		// Enrolled only after the session (20 March 2030), or finished before it: not on its register.
		const [later] = await makeYoungPeople(t.db, unbooked.id, 'Y10', 1, 'Later');
		const [finished] = await makeYoungPeople(t.db, unbooked.id, 'Y10', 1, 'Finished');
		await t.db
			.insertInto('enrolment')
			.values([
				{ programme_id: world.programmeId, young_person_id: enrolled!.id, role: 'participant', stage: 'active', started_on: '2029-09-01' },
				{ programme_id: world.programmeId, young_person_id: withdrawn!.id, role: 'participant', stage: 'withdrawn', started_on: '2029-09-01' },
				{ programme_id: world.programmeId, young_person_id: later!.id, role: 'participant', stage: 'active', started_on: '2030-03-21' },
				{
					programme_id: world.programmeId,
					young_person_id: finished!.id,
					role: 'participant',
					stage: 'completed',
					started_on: '2029-09-01',
					ended_on: '2030-03-19'
				}
			])
			.execute();

		const register = await getRegister(t.db, world.lead, world.sessionId);

		expect(register.schools.map((s) => s.schoolName)).toEqual(['Aaa Unbooked School', expect.stringMatching(/^Test School/)]);
		expect(register.schools[0]!.people.map((p) => [p.firstName, p.yearGroup])).toEqual([['Enrolled0', 'Y10']]);
		// Sorted by last name: the factory numbers them in reverse.
		expect(register.schools[1]!.people.map((p) => p.id)).toEqual(booked.map((p) => p.id).reverse());
		expect(register.schools[1]!.people.every((p) => p.yearGroup === 'Y8' && p.mark === null)).toBe(true);
	});

	it('works out year groups from the session’s academic year, which starts on 1 September in UK time', async () => {
		const world = await createLedProgramme(t.db, { registerKind: 'named' });
		// 1 September 2030, 00:30 in London, is still 31 August in UTC: already the 2030-31 year.
		const sessionId = await scheduleLeadSession(t.db, world, {
			date: '2030-09-01',
			startTime: '00:30',
			endTime: '02:00',
			bookingOpens: '2030-08-01',
			bookingCloses: '2030-08-30'
		});
		const school = await makeSchool(t.db);
		await makeBooking(t.db, { session_id: sessionId, school_id: school.id, year_group: 'Y8' });
		// Year 7 in 2029-30, so Year 8 in 2030-31.
		const [pupil] = await makeYoungPeople(t.db, school.id, 'Y7', 1);

		const register = await getRegister(t.db, world.lead, sessionId);

		expect(everyone(register).map((p) => [p.id, p.yearGroup])).toEqual([[pupil!.id, 'Y8']]);
	});

	it('is a 404 for a school contact and for another programme’s lead, and says so in the audit log', async () => {
		const world = await makeNamedSession(t.db);
		const contact = await makeContact(t.db);
		const otherLead = (await createLedProgramme(t.db, { registerKind: 'named' })).lead;

		await expect(getRegister(t.db, contact, world.sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(getRegister(t.db, otherLead, world.sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(saveMarks(t.db, otherLead, world.sessionId, [], STARTED)).rejects.toMatchObject({ status: 404 });
		await expect(getHeadcounts(t.db, contact, world.sessionId)).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused')).map((e) => e.actor_id)).toEqual([contact.id, otherLead.id, otherLead.id, contact.id]);
	});

	it('is open to an admin', async () => {
		const world = await makeNamedSession(t.db);
		await makeYoungPeople(t.db, world.schoolId, 'Y8', 2);
		expect(everyone(await getRegister(t.db, world.admin, world.sessionId))).toHaveLength(2);
	});
});

describe('saving marks', () => {
	const at = (minutes: number) => new Date(STARTED.getTime() + minutes * 60_000);
	const versions = async (sessionId: string) =>
		new Map(
			(await t.db.selectFrom('attendance_mark').select(['young_person_id', 'version']).where('session_id', '=', sessionId).execute()).map((m) => [
				m.young_person_id,
				m.version
			])
		);

	it('saves 802 new marks in one call, then only the changes sent, raising their versions and auditing them by id, never by name', async () => {
		const world = await makeNamedSession(t.db, 802);
		const people = await makeYoungPeople(t.db, world.schoolId, 'Y8', 802, 'Confidential');
		const marks = people.map((p) => ({ youngPersonId: p.id, status: 'present', basedOn: null }));

		const first = await saveMarks(t.db, world.lead, world.sessionId, marks, STARTED);

		expect(first).toEqual({ ok: true, saved: 802, changed: 802, conflicts: [] });
		expect(await storedMarks(t.db, world.sessionId)).toHaveLength(802);
		expect(await auditEvents(t.db, 'attendance.marked')).toHaveLength(802);
		expect([...(await versions(world.sessionId)).values()].every((v) => v === 1)).toBe(true);

		// 10 now late and 5 absent (unauthorised), each changed from version 1: only those 15 change.
		const again = people.slice(0, 15).map((p, i) => ({ youngPersonId: p.id, status: i < 10 ? 'late' : 'absent_unauthorised', basedOn: 1 }));
		const second = await saveMarks(t.db, world.lead, world.sessionId, again, at(1));

		expect(second).toEqual({ ok: true, saved: 15, changed: 15, conflicts: [] });
		const changed = await auditEvents(t.db, 'attendance.changed');
		expect(changed.map((e) => e.entity_id).sort()).toEqual(
			people
				.slice(0, 15)
				.map((p) => p.id)
				.sort()
		);
		expect(changed[0]).toMatchObject({ actor_id: world.lead.id, entity_type: 'young_person', detail: { sessionId: world.sessionId, from: 'present' } });
		const stored = new Map((await storedMarks(t.db, world.sessionId)).map((m) => [m.young_person_id, m.status]));
		expect(stored.get(people[0]!.id)).toBe('late');
		expect(stored.get(people[14]!.id)).toBe('absent_unauthorised');
		expect(stored.get(people[15]!.id)).toBe('present');
		const v = await versions(world.sessionId);
		expect([v.get(people[0]!.id), v.get(people[14]!.id), v.get(people[15]!.id)]).toEqual([2, 2, 1]);

		const everything = JSON.stringify(await auditEvents(t.db));
		expect(everything).not.toMatch(/Confidential|Surname/);
	});

	it('keeps both people’s changes when two mark different young people from the same page', async () => {
		const world = await makeNamedSession(t.db);
		const people = await makeYoungPeople(t.db, world.schoolId, 'Y8', 3);
		await saveMarks(
			t.db,
			world.lead,
			world.sessionId,
			people.map((p) => ({ youngPersonId: p.id, status: 'present', basedOn: null })),
			STARTED
		);
		// Both loaded the register at version 1; each changes a different young person.
		expect(await saveMarks(t.db, world.lead, world.sessionId, [{ youngPersonId: people[0]!.id, status: 'late', basedOn: 1 }], at(1))).toMatchObject({
			ok: true,
			changed: 1,
			conflicts: []
		});
		expect(
			await saveMarks(t.db, world.admin, world.sessionId, [{ youngPersonId: people[1]!.id, status: 'absent_authorised', basedOn: 1 }], at(2))
		).toMatchObject({ ok: true, changed: 1, conflicts: [] });

		const stored = new Map((await storedMarks(t.db, world.sessionId)).map((m) => [m.young_person_id, m.status]));
		expect(people.map((p) => stored.get(p.id))).toEqual(['late', 'absent_authorised', 'present']);
	});

	it('shows the second person who changed the same young person a conflict, saves their other changes, and saves theirs only once they choose it', async () => {
		const world = await makeNamedSession(t.db);
		const people = await makeYoungPeople(t.db, world.schoolId, 'Y8', 2);
		// Sam (the lead) marks the first late; the admin, from the page as it was, marks them present and the second late.
		await saveMarks(t.db, world.lead, world.sessionId, [{ youngPersonId: people[0]!.id, status: 'late', basedOn: null }], at(1));
		const second = await saveMarks(
			t.db,
			world.admin,
			world.sessionId,
			[
				{ youngPersonId: people[0]!.id, status: 'present', basedOn: null },
				{ youngPersonId: people[1]!.id, status: 'late', basedOn: null }
			],
			at(2)
		);

		expect(second).toEqual({
			ok: true,
			saved: 1,
			changed: 1,
			conflicts: [
				{
					youngPersonId: people[0]!.id,
					firstName: people[0]!.first_name,
					lastName: people[0]!.last_name,
					theirs: 'late',
					by: world.lead.name,
					at: at(1),
					version: 1,
					yours: 'present'
				}
			]
		});
		let stored = new Map((await storedMarks(t.db, world.sessionId)).map((m) => [m.young_person_id, m.status]));
		expect(people.map((p) => stored.get(p.id))).toEqual(['late', 'late']);

		// "Use yours": the same change, now based on the version they were shown.
		expect(await saveMarks(t.db, world.admin, world.sessionId, [{ youngPersonId: people[0]!.id, status: 'present', basedOn: 1 }], at(3))).toMatchObject({
			ok: true,
			changed: 1,
			conflicts: []
		});
		stored = new Map((await storedMarks(t.db, world.sessionId)).map((m) => [m.young_person_id, m.status]));
		expect(stored.get(people[0]!.id)).toBe('present');

		// Choosing what someone else already saved is no conflict.
		expect(await saveMarks(t.db, world.lead, world.sessionId, [{ youngPersonId: people[0]!.id, status: 'present', basedOn: 1 }], at(4))).toEqual({
			ok: true,
			saved: 1,
			changed: 0,
			conflicts: []
		});
	});

	it('refuses a session that has not started, and saves nothing', async () => {
		const world = await makeNamedSession(t.db);
		const [pupil] = await makeYoungPeople(t.db, world.schoolId, 'Y8', 1);

		const result = await saveMarks(t.db, world.lead, world.sessionId, [{ youngPersonId: pupil!.id, status: 'present', basedOn: null }], BEFORE_START);

		expect(result).toMatchObject({ ok: false, code: 'refused', reason: 'not_started' });
		expect(await storedMarks(t.db, world.sessionId)).toEqual([]);
		expect(await auditEvents(t.db, 'attendance.marked')).toEqual([]);
	});

	it('refuses an unknown status, someone not on the register (another programme’s included), a version from the future, saving none and auditing each', async () => {
		const world = await makeNamedSession(t.db);
		const [pupil, other] = await makeYoungPeople(t.db, world.schoolId, 'Y8', 2);
		const [stranger] = await makeYoungPeople(t.db, world.schoolId, 'Y9', 1);
		// Someone on another programme's register, sent to this one.
		const elsewhere = await makeNamedSession(t.db);
		const [theirs] = await makeYoungPeople(t.db, elsewhere.schoolId, 'Y8', 1);
		await saveMarks(t.db, world.lead, world.sessionId, [{ youngPersonId: other!.id, status: 'present', basedOn: null }], STARTED);
		const present = { youngPersonId: pupil!.id, status: 'present', basedOn: null };
		const refusedWith = (reason: string) => ({ ok: false, code: 'refused', reason, message: expect.stringMatching(/\S/) });

		expect(await saveMarks(t.db, world.lead, world.sessionId, [present, { youngPersonId: pupil!.id, status: 'asleep', basedOn: null }], STARTED)).toMatchObject(
			refusedWith('unknown_status')
		);
		expect(
			await saveMarks(t.db, world.lead, world.sessionId, [present, { youngPersonId: stranger!.id, status: 'present', basedOn: null }], STARTED)
		).toMatchObject(refusedWith('not_on_register'));
		expect(
			await saveMarks(t.db, world.lead, world.sessionId, [present, { youngPersonId: theirs!.id, status: 'present', basedOn: null }], STARTED)
		).toMatchObject(refusedWith('not_on_register'));
		expect(await saveMarks(t.db, world.lead, world.sessionId, [present, { youngPersonId: other!.id, status: 'late', basedOn: 2 }], STARTED)).toMatchObject(
			refusedWith('future_version')
		);
		expect(await saveMarks(t.db, world.lead, world.sessionId, [{ youngPersonId: pupil!.id, status: 'late', basedOn: 1 }], STARTED)).toMatchObject(
			refusedWith('future_version')
		);
		expect(await saveMarks(t.db, world.lead, world.sessionId, [present, { youngPersonId: other!.id, status: 'late', basedOn: 0 }], STARTED)).toMatchObject(
			refusedWith('bad_version')
		);
		// The other programme's register: its lead is not this one's, so it is not there for them (404, audited by the policy).
		await expect(saveMarks(t.db, elsewhere.lead, world.sessionId, [present], STARTED)).rejects.toMatchObject({ status: 404 });

		const stored = await storedMarks(t.db, world.sessionId);
		expect(stored.map((m) => [m.young_person_id, m.status])).toEqual([[other!.id, 'present']]);
		const refusals = await auditEvents(t.db, 'attendance.save_refused');
		expect(refusals.map((e) => (e.detail as { reason: string }).reason).sort()).toEqual(
			['bad_version', 'future_version', 'future_version', 'not_on_register', 'not_on_register', 'unknown_status'].sort()
		);
		expect(refusals.every((e) => e.actor_id === world.lead.id && e.entity_id === world.sessionId)).toBe(true);
		expect(await auditEvents(t.db, 'access.refused')).not.toEqual([]);

		await t.db.updateTable('programme_session').set({ status: 'cancelled' }).where('id', '=', world.sessionId).execute();
		expect(await saveMarks(t.db, world.lead, world.sessionId, [present], STARTED)).toMatchObject({ ok: false, code: 'refused', reason: 'cancelled' });
		expect(await storedMarks(t.db, world.sessionId)).toHaveLength(1);
	});

	it('refuses named marks at a headcount session', async () => {
		const world = await makeHeadcountSession(t.db);
		const [pupil] = await makeYoungPeople(t.db, world.schoolId, 'Y8', 1);
		expect(await saveMarks(t.db, world.lead, world.sessionId, [{ youngPersonId: pupil!.id, status: 'present', basedOn: null }], STARTED)).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'wrong_register_kind'
		});
	});
});

describe('headcounts', () => {
	it('lists each school and year group holding places, saves the counts and re-saves a change', async () => {
		const world = await makeHeadcountSession(t.db);

		const empty = await getHeadcounts(t.db, world.lead, world.sessionId);
		expect(empty.counts.map((c) => [c.school_name, c.year_group, c.count])).toEqual([
			['Aardvark Academy', 'Y8', null],
			['Aardvark Academy', 'parents', null],
			['Zebra School', 'parents', null]
		]);

		const counts = [
			{ schoolId: world.schoolId, yearGroup: 'Y8', count: 9, basedOn: null },
			{ schoolId: world.schoolId, yearGroup: 'parents', count: 7, basedOn: null },
			{ schoolId: world.otherSchoolId, yearGroup: 'parents', count: 0, basedOn: null }
		];
		expect(await saveHeadcounts(t.db, world.lead, world.sessionId, counts, STARTED)).toEqual({ ok: true, saved: 3, changed: 3, conflicts: [] });
		const changedOne = [{ ...counts[1]!, count: 8, basedOn: 1 }];
		expect(await saveHeadcounts(t.db, world.lead, world.sessionId, changedOne, STARTED)).toEqual({ ok: true, saved: 1, changed: 1, conflicts: [] });

		const saved = await getHeadcounts(t.db, world.lead, world.sessionId);
		expect(saved.counts.map((c) => c.count)).toEqual([9, 8, 0]);
		expect((await auditEvents(t.db, 'attendance.count_changed')).map((e) => e.detail)).toEqual([
			{ schoolId: world.schoolId, yearGroup: 'parents', from: 7, to: 8 }
		]);
	});

	it('refuses counts that are not whole numbers from 0 to 10,000, before the start, and for a school without places', async () => {
		const world = await makeHeadcountSession(t.db);
		const stranger = await makeSchool(t.db);
		const count = (n: number, schoolId = world.schoolId) => [{ schoolId, yearGroup: 'parents', count: n, basedOn: null }];

		expect(await saveHeadcounts(t.db, world.lead, world.sessionId, count(10_001), STARTED)).toMatchObject({ ok: false, code: 'invalid' });
		expect(await saveHeadcounts(t.db, world.lead, world.sessionId, count(2.5), STARTED)).toMatchObject({ ok: false, code: 'invalid' });
		expect(await saveHeadcounts(t.db, world.lead, world.sessionId, count(-1), STARTED)).toMatchObject({ ok: false, code: 'invalid' });
		expect(await saveHeadcounts(t.db, world.lead, world.sessionId, count(3), BEFORE_START)).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'not_started'
		});
		expect(await saveHeadcounts(t.db, world.lead, world.sessionId, count(3, stranger.id), STARTED)).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'not_on_register'
		});
		expect(await t.db.selectFrom('attendance_headcount').selectAll().execute()).toEqual([]);
	});

	it('is a 404 for a school contact', async () => {
		const world = await makeHeadcountSession(t.db);
		const contact = await makeActor(t.db, { role: 'school', schoolId: world.schoolId });
		await expect(saveHeadcounts(t.db, contact, world.sessionId, [], STARTED)).rejects.toMatchObject({ status: 404 });
	});
});

describe('what a programme calls each mark', () => {
	it('renames the statuses for a programme’s registers, refusing an empty, a too long or a repeated name, and audits the change', async () => {
		const world = await makeNamedSession(t.db);
		const defaults = await getMarkLabels(t.db, world.lead, world.programmeId);
		expect(defaults.absent_authorised).toBe('Absent (authorised)');

		const refusedNames = await saveMarkLabels(t.db, world.lead, world.programmeId, { ...defaults, present: ' ', late: 'x'.repeat(51), left_early: 'present' });
		expect(refusedNames).toMatchObject({ ok: false, code: 'invalid', errors: { label_present: expect.any(String), label_late: expect.any(String) } });
		expect(await saveMarkLabels(t.db, world.lead, world.programmeId, { ...defaults, late: 'Present' })).toMatchObject({
			ok: false,
			errors: { label_late: '‘Present’ is already the name of another status: give each a different name' }
		});

		expect(await saveMarkLabels(t.db, world.lead, world.programmeId, { ...defaults, absent_authorised: '  Off   sick ' })).toEqual({
			ok: true,
			id: world.programmeId
		});
		expect((await getRegister(t.db, world.lead, world.sessionId)).labels.absent_authorised).toBe('Off sick');
		expect(await auditEvents(t.db, 'attendance.labels_renamed')).toHaveLength(1);

		const otherLead = await makeActor(t.db, { role: 'lead' });
		await expect(saveMarkLabels(t.db, otherLead, world.programmeId, defaults)).rejects.toMatchObject({ status: 404 });
	});
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { programmeFormVersion, updateProgramme } from '../../../src/lib/server/programmes/programmes.service';
import type { ProgrammeValues } from '../../../src/lib/server/programmes/programmes.schema';
import { schoolFormVersion, setSchoolActive, updateSchool } from '../../../src/lib/server/schools/schools.service';
import { sessionFormVersion, updateSessionDetails } from '../../../src/lib/server/sessions/sessions.service';
import { updateYoungPerson, youngPersonFormVersion } from '../../../src/lib/server/young-people/young-people.service';
import type { YoungPersonValues } from '../../../src/lib/server/young-people/young-people.schema';
import { useTestDatabase } from '../../support/database';
import {
	book,
	copyTemplateDatabase,
	createLedProgramme,
	ledProgrammeValues,
	makeContact,
	minutesIntoWindow,
	SCHEDULED_AT,
	scheduleLeadSession,
	sessionValues,
	storedBooking
} from '../../support/booking-world';
import { bookingFormVersion, changePlaces } from '../../../src/lib/server/bookings/bookings.service';
import { changeTerm, listTermsFor, termFormVersion } from '../../../src/lib/server/terms/terms.service';
import { saveStations, stationsFormVersion } from '../../../src/lib/server/sessions/carousel.service';
import { makeCarouselSession } from '../../support/carousel-world';
import { getMarkLabels, markLabelsFormVersion, saveMarkLabels } from '../../../src/lib/server/attendance/attendance.service';
import { defaultMarkLabels } from '../../../src/lib/attendance';
import { changeEnrolmentStage, stageFormVersion } from '../../../src/lib/server/enrolments/enrolments.service';
import { enrol, makeLeadWorld } from '../../support/lead-scope-world';
import { auditEvents, makeActor, makeSchool, makeUser } from '../../support/factories';
import { updateUserDetails, userFormVersion } from '../../../src/lib/server/users/users.service';
import { updateUser } from '../../../src/lib/server/users/users.queries';
import { IN_2026_27, makeSchoolWorld, makeYoungPerson } from '../../support/young-people-world';

// Two people on one edit form (src/lib/server/edit-versions.ts): each form carries the version
// it was opened on, and a save from a form opened before someone else's save is refused with
// what is saved now beside each field that differs, and nothing written.

vi.stubEnv('SMTP_URL', '');
const t = useTestDatabase();

const CONFLICT = { ok: false, code: 'conflict', reason: 'changed_since' };

/** The answer to a stale save: nothing saved, what is saved now beside each field that differs, and the version now saved. */
const staleAnswer = (noun: string, errors: Record<string, unknown>, basedOn: string) => ({
	...CONFLICT,
	field: 'basedOn',
	message: expect.stringMatching(
		new RegExp(`^${noun} was changed by someone else (at|on) .*: your changes have not been saved\\..*Save again to replace it with yours\\.$`)
	),
	errors,
	basedOn
});

const schoolValues = { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' } as const;

async function schoolVersion(id: string) {
	return schoolFormVersion(await t.db.selectFrom('school').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}
async function storedSchool(id: string) {
	return t.db.selectFrom('school').select(['name', 'urn', 'phase', 'town']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe("a school's edit form", () => {
	it('refuses the second of two saves from forms opened on one version, with what is saved now beside each field that differs, and saves nothing of it', async () => {
		const admin = await makeActor(t.db);
		const other = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		const opened = await schoolVersion(school.id);

		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened)).toEqual({ ok: true, id: school.id });
		const second = await updateSchool(t.db, other, school.id, { ...schoolValues, town: 'Deal' }, opened);

		expect(second).toEqual(
			staleAnswer('This school', { phase: 'Phase: saved now as ‘All-through’', town: 'Town: saved now as ‘Dover’' }, await schoolVersion(school.id))
		);
		expect(await storedSchool(school.id)).toEqual({ ...schoolValues, phase: 'all-through' });
		expect(await auditEvents(t.db, 'school.updated')).toHaveLength(1);
	});

	it('saves the second form once it is sent again on the version now saved, replacing that version knowingly', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		const opened = await schoolVersion(school.id);
		await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened);
		const refused = await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Deal' }, opened);
		if (refused.ok || refused.code !== 'conflict') throw new Error('expected a conflict');

		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Deal' }, refused.basedOn)).toEqual({ ok: true, id: school.id });
		expect(await storedSchool(school.id)).toEqual({ ...schoolValues, town: 'Deal' });
	});

	it('lets a save through that writes what is saved now, whatever version it was opened on', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		const opened = await schoolVersion(school.id);
		await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened);
		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened)).toEqual({ ok: true, id: school.id });
	});

	it('lets a save through after a change the form does not show: the school deactivated and reactivated', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		const opened = await schoolVersion(school.id);
		await setSchoolActive(t.db, admin, school.id, false);
		await setSchoolActive(t.db, admin, school.id, true);
		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Deal' }, opened)).toEqual({ ok: true, id: school.id });
		expect(await storedSchool(school.id)).toMatchObject({ town: 'Deal' });
	});

	it('does not check a form sent without a version, and refuses one sent with a version the school never had', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Deal' }, '')).toEqual({ ok: true, id: school.id });
		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Sandwich' }, 'yesterday')).toMatchObject({
			...CONFLICT,
			errors: { town: 'Town: saved now as ‘Deal’' }
		});
		expect(await storedSchool(school.id)).toMatchObject({ town: 'Deal' });
	});
});

// Saves at once need real concurrent connections: PGlite has one, so this runs on PostgreSQL
// only, committing to a database of its own.
describe.skipIf(process.env.TEST_DB !== 'postgres')("a school's edit form under contention (PostgreSQL)", () => {
	let database: Awaited<ReturnType<typeof copyTemplateDatabase>>;
	beforeAll(async () => {
		database = await copyTemplateDatabase();
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('lets exactly one of 10 saves sent at once from forms opened on one version through', async () => {
		const db = database.database.db;
		const admin = await makeActor(db);
		const school = await makeSchool(db, { ...schoolValues, name: 'Astor College (race)', urn: '118930' });
		const opened = schoolFormVersion(school);
		const names = Array.from({ length: 10 }, (_, i) => `Astor College ${i + 1}`);
		const results = await Promise.all(names.map((name) => updateSchool(db, admin, school.id, { ...schoolValues, name, urn: '118930' }, opened)));

		const saved = await db.selectFrom('school').select('name').where('id', '=', school.id).executeTakeFirstOrThrow();
		const through = results.flatMap((r, i) => (r.ok ? [names[i]] : []));
		expect(through).toEqual([saved.name]);
		expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 9 }, () => expect.objectContaining(CONFLICT)));
		const audited = await db.selectFrom('audit_event').select('id').where('entity_id', '=', school.id).where('action', '=', 'school.updated').execute();
		expect(audited).toHaveLength(1);
	});
});

describe("a young person's edit form", () => {
	const values = (overrides: Partial<YoungPersonValues> = {}): YoungPersonValues => ({
		first_name: 'Amira',
		last_name: 'Okafor',
		year_group: '8',
		gender: '',
		sen: '',
		free_school_meals: '',
		...overrides
	});

	it('refuses a save from a form opened before someone else saved, and saves nothing of it', async () => {
		const { school, contact } = await makeSchoolWorld(t.db);
		const person = await makeYoungPerson(t.db, { school_id: school.id });
		const version = async () =>
			youngPersonFormVersion(await t.db.selectFrom('young_person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow(), IN_2026_27);
		const opened = await version();

		expect(await updateYoungPerson(t.db, contact, person.id, values({ last_name: 'Okafor-Smith' }), IN_2026_27, opened)).toEqual({ ok: true, id: person.id });
		const second = await updateYoungPerson(t.db, contact, person.id, values({ sen: 'yes' }), IN_2026_27, opened);

		expect(second).toEqual(
			staleAnswer(
				'This young person’s record',
				{ last_name: 'Last name: saved now as ‘Okafor-Smith’', sen: 'Special educational needs: saved now empty' },
				await version()
			)
		);
		expect(await t.db.selectFrom('young_person').select(['last_name', 'sen']).executeTakeFirstOrThrow()).toEqual({ last_name: 'Okafor-Smith', sen: null });
		expect(await auditEvents(t.db, 'young_person.updated')).toHaveLength(1);
	});
});

describe("a programme's edit form", () => {
	it('refuses a save from a form opened before someone else saved, naming the leads saved now', async () => {
		const world = await createLedProgramme(t.db, { name: 'Safety in Action' });
		const newLead = await makeActor(t.db, { role: 'lead', name: 'Priya Lead' });
		const version = async () =>
			programmeFormVersion(t.db, await t.db.selectFrom('programme').selectAll().where('id', '=', world.programmeId).executeTakeFirstOrThrow());
		const opened = await version();
		const values: ProgrammeValues = { ...ledProgrammeValues(world.lead.id, { name: 'Safety in Action' }), retentionYears: '3' };

		const first = await updateProgramme(t.db, world.admin, world.programmeId, { ...values, leadIds: [newLead.id], yearGroups: ['Y6'] }, opened);
		expect(first).toEqual({ ok: true, id: world.programmeId });
		const second = await updateProgramme(t.db, world.admin, world.programmeId, { ...values, description: 'Workstations on safety' }, opened);

		// The description differs too: the second form's own change, beside which the saved one (none) is shown.
		expect(second).toEqual(
			staleAnswer(
				'This programme',
				{
					description: 'Description: saved now empty',
					yearGroups: 'Who it is for: saved now as ‘Year 6’',
					leadIds: 'Programme leads: saved now as ‘Priya Lead’'
				},
				await version()
			)
		);
		const saved = await t.db.selectFrom('programme').select(['description', 'year_groups']).where('id', '=', world.programmeId).executeTakeFirstOrThrow();
		expect(saved).toEqual({ description: '', year_groups: ['Y6'] });
	});
});

describe("a session's edit form", () => {
	it('refuses a save from a form opened before someone else saved, with the saved venue and date as people write them', async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world);
		const version = async () =>
			sessionFormVersion(await t.db.selectFrom('programme_session').selectAll().where('id', '=', sessionId).executeTakeFirstOrThrow());
		const opened = await version();

		const first = await updateSessionDetails(
			t.db,
			world.lead,
			world.programmeId,
			sessionId,
			sessionValues({ venue: 'Deal Pier', date: '2030-03-21' }),
			SCHEDULED_AT,
			opened
		);
		expect(first).toMatchObject({ ok: true });
		const second = await updateSessionDetails(t.db, world.admin, world.programmeId, sessionId, sessionValues({ capacity: '40' }), SCHEDULED_AT, opened);

		expect(second).toEqual(
			staleAnswer(
				'This session',
				{
					venue: 'Venue: saved now as ‘Deal Pier’',
					date: expect.stringMatching(/^Date: saved now as ‘Thu,? 21 Mar 2030’$/),
					capacity: 'Places: saved now as ‘30’'
				},
				await version()
			)
		);
		const saved = await t.db.selectFrom('programme_session').select(['venue', 'capacity']).where('id', '=', sessionId).executeTakeFirstOrThrow();
		expect(saved).toEqual({ venue: 'Deal Pier', capacity: 30 });
	});
});

describe("a user's details form", () => {
	it('refuses a save from a form opened before another admin changed their role, and not one opened before their password was changed', async () => {
		const admin = await makeActor(t.db);
		const other = await makeActor(t.db);
		const school = await makeSchool(t.db, { name: 'Barton Junior School' });
		const user = await makeUser(t.db, { role: 'school', schoolId: school.id, name: 'Sam Contact' });
		const version = async () => userFormVersion(t.db, await t.db.selectFrom('app_user').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow());
		const opened = await version();
		const mine = { email: '', name: 'Sam Contact', role: 'school' as const, schoolId: school.id };

		// A password changed touches the row, not the form.
		await updateUser(t.db, user.id, { password_hash: 'changed' });
		expect(await updateUserDetails(t.db, admin, user.id, { ...mine, name: 'Samira Contact' }, opened)).toEqual({ ok: true });

		const second = await updateUserDetails(t.db, other, user.id, { ...mine, role: 'viewer', schoolId: null }, opened);
		expect(second).toEqual(
			staleAnswer(
				'This user',
				{
					name: 'Full name: saved now as ‘Samira Contact’',
					// Not the school: a report viewer has none, whichever the form still shows.
					role: 'Role: saved now as ‘School contact’'
				},
				await version()
			)
		);
		const saved = await t.db.selectFrom('app_user').select(['name', 'role', 'school_id']).where('id', '=', user.id).executeTakeFirstOrThrow();
		expect(saved).toEqual({ name: 'Samira Contact', role: 'school', school_id: school.id });
	});
});

describe("a booking's change of places", () => {
	it("refuses a lead's change from a page opened before the school changed its places, and takes it when they save again", async () => {
		const world = await createLedProgramme(t.db);
		const sessionId = await scheduleLeadSession(t.db, world, { capacity: '30' });
		const contact = await makeContact(t.db);
		const made = await book(t.db, contact, sessionId, 10);
		if (!made.ok) throw new Error('The booking was refused');
		const id = made.bookingId;
		const version = async () => bookingFormVersion(await t.db.selectFrom('booking').select('places').where('id', '=', id).executeTakeFirstOrThrow());
		const opened = await version();

		expect(await changePlaces(t.db, contact, id, '12', minutesIntoWindow(5), opened)).toEqual({ ok: true });
		const second = await changePlaces(t.db, world.lead, id, '8', minutesIntoWindow(6), opened);

		// A booking keeps no time its places were last asked for (its row changes as the queue moves), so the message gives none.
		expect(second).toEqual({
			...CONFLICT,
			field: 'basedOn',
			message:
				'This booking was changed by someone else, after you opened this page: your changes have not been saved. What is saved now is shown beside each field where it differs from yours. Save again to replace it with yours.',
			errors: { places: 'Number of places: saved now as ‘12’' },
			basedOn: await version()
		});
		expect(await storedBooking(t.db, id)).toEqual({ status: 'confirmed', places: 12, confirmed_places: 12 });
		expect(await auditEvents(t.db, 'booking.changed')).toHaveLength(1);

		// Saved again on the version the refusal showed, the lead's change replaces the school's knowingly.
		expect(await changePlaces(t.db, world.lead, id, '8', minutesIntoWindow(7), await version())).toEqual({ ok: true });
		expect(await storedBooking(t.db, id)).toEqual({ status: 'confirmed', places: 8, confirmed_places: 8 });
	});
});

describe("a school term's edit form", () => {
	it('refuses a save from a form opened before another admin moved the term, with its days as people write them, and audits what it was', async () => {
		const admin = await makeActor(t.db);
		const other = await makeActor(t.db);
		const term5 = (await listTermsFor(t.db, admin)).find((term) => term.academic_year === 2026 && term.name === 'Term 5')!;
		const version = async () => termFormVersion(await t.db.selectFrom('school_term').selectAll().where('id', '=', term5.id).executeTakeFirstOrThrow());
		const opened = await version();
		const mine = { academicYear: '2026', name: 'Term 5', firstDay: term5.first_day, lastDay: term5.last_day, source: term5.source };

		expect(await changeTerm(t.db, admin, term5.id, { ...mine, firstDay: '2027-04-13' }, opened)).toEqual({ ok: true });
		const second = await changeTerm(t.db, other, term5.id, { ...mine, source: 'Approximate: to be confirmed by the county' }, opened);

		expect(second).toEqual(
			staleAnswer(
				'This term',
				{ firstDay: 'First day: saved now as ‘13 April 2027’', source: `Where the dates come from: saved now as ‘${term5.source}’` },
				await version()
			)
		);
		const saved = await t.db.selectFrom('school_term').select(['first_day', 'source']).where('id', '=', term5.id).executeTakeFirstOrThrow();
		expect(saved).toEqual({ first_day: '2027-04-13', source: term5.source });
		// One change, and what it was is the term as it stood under the lock.
		const events = await auditEvents(t.db, 'term.changed');
		expect(events.map((e) => e.detail)).toEqual([expect.objectContaining({ was: expect.objectContaining({ first_day: term5.first_day }) })]);
	});
});

describe("a carousel session's workstations form", () => {
	it('refuses a save from a form opened before someone else changed the workstations, row by row, and saves nothing of it', async () => {
		const world = await makeCarouselSession(t.db);
		const admin = await makeActor(t.db);
		const version = async () =>
			stationsFormVersion(
				t.db,
				await t.db.selectFrom('programme_session').select(['id', 'rotation_minutes']).where('id', '=', world.sessionId).executeTakeFirstOrThrow()
			);
		const stored = () => t.db.selectFrom('station').select(['name', 'theme', 'places']).where('session_id', '=', world.sessionId).orderBy('position').execute();
		const opened = await version();
		const fire = { name: 'Fire safety', theme: 'Fire safety at home', places: '16' };
		const water = { name: 'Water safety', theme: 'Water and coastal safety', places: '16' };
		const road = { name: 'Road safety', theme: 'Crossing the road', places: '16' };

		// The lead adds a third workstation; the admin, on the page opened before, makes the first one bigger.
		expect(await saveStations(t.db, world.lead, world.programmeId, world.sessionId, [fire, water, road], '20', opened)).toEqual({ ok: true });
		const second = await saveStations(t.db, admin, world.programmeId, world.sessionId, [{ ...fire, places: '20' }, water], '25', opened);

		// The session's row changes with its bookings too, so the message gives no time.
		expect(second).toEqual({
			...CONFLICT,
			field: 'basedOn',
			message:
				'This session’s list of workstations was changed by someone else, after you opened this page: your changes have not been saved. What is saved now is shown beside each field where it differs from yours. Save again to replace it with yours.',
			errors: {
				rotationMinutes: 'Minutes at each workstation: saved now as ‘20’',
				'stations.0.places': 'Workstation 1, places per rotation: saved now as ‘16’',
				'stations.2.name': 'Workstation 3, name: saved now as ‘Road safety’',
				'stations.2.theme': 'Workstation 3, theme: saved now as ‘Crossing the road’',
				'stations.2.places': 'Workstation 3, places per rotation: saved now as ‘16’'
			},
			basedOn: await version()
		});
		expect(await stored()).toEqual([fire, water, road].map((s) => ({ ...s, places: 16 })));
		expect(await auditEvents(t.db, 'session.stations_saved')).toHaveLength(2);

		// Sent again on the version the refusal showed, the admin's workstations replace the lead's knowingly.
		expect(await saveStations(t.db, admin, world.programmeId, world.sessionId, [{ ...fire, places: '20' }, water], '25', await version())).toEqual({
			ok: true
		});
		expect(await stored()).toEqual([
			{ ...fire, places: 20 },
			{ ...water, places: 16 }
		]);
	});
});

describe("a programme's attendance names form", () => {
	it('refuses a save from a form opened before someone else renamed a mark, and takes it when saved again', async () => {
		const world = await createLedProgramme(t.db);
		const admin = await makeActor(t.db);
		const version = async () => markLabelsFormVersion(await getMarkLabels(t.db, admin, world.programmeId));
		const opened = await version();

		expect(await saveMarkLabels(t.db, world.lead, world.programmeId, { ...defaultMarkLabels, present: 'Here' }, opened)).toEqual({
			ok: true,
			id: world.programmeId
		});
		const second = await saveMarkLabels(t.db, admin, world.programmeId, { ...defaultMarkLabels, late: 'Arrived late' }, opened);

		expect(second).toEqual({
			...CONFLICT,
			field: 'basedOn',
			message:
				'This programme’s set of attendance names was changed by someone else, after you opened this page: your changes have not been saved. What is saved now is shown beside each field where it differs from yours. Save again to replace it with yours.',
			errors: { label_present: 'Present: saved now as ‘Here’', label_late: `${defaultMarkLabels.late}: saved now as ‘${defaultMarkLabels.late}’` },
			basedOn: await version()
		});
		expect(await getMarkLabels(t.db, admin, world.programmeId)).toEqual({ ...defaultMarkLabels, present: 'Here' });
		expect(await auditEvents(t.db, 'attendance.labels_renamed')).toHaveLength(1);

		// Saved again on the version now saved, the admin's names replace the lead's knowingly.
		expect(await saveMarkLabels(t.db, admin, world.programmeId, { ...defaultMarkLabels, late: 'Arrived late' }, await version())).toEqual({
			ok: true,
			id: world.programmeId
		});
		expect(await getMarkLabels(t.db, admin, world.programmeId)).toEqual({ ...defaultMarkLabels, late: 'Arrived late' });
	});
});

describe("an enrolment's stage form", () => {
	it('refuses a save from a form opened before someone else ended the enrolment, with its end date as people write it, and audits what it was', async () => {
		const { lead, programme, bookedSchool } = await makeLeadWorld(t.db);
		const admin = await makeActor(t.db);
		const person = await makeYoungPerson(t.db, { school_id: bookedSchool.id });
		const { id } = await enrol(t.db, programme.id, person.id);
		const stored = () => t.db.selectFrom('enrolment').select(['stage', 'ended_on']).where('id', '=', id).executeTakeFirstOrThrow();
		const version = async () => stageFormVersion(await stored());
		const opened = await version();

		// The lead withdraws them; the admin, on the page opened while they were active, completes them today.
		expect(await changeEnrolmentStage(t.db, lead, programme.id, id, { stage: 'withdrawn', endedOn: '2026-10-15' }, IN_2026_27, opened)).toEqual({
			ok: true,
			id
		});
		const second = await changeEnrolmentStage(t.db, admin, programme.id, id, { stage: 'completed', endedOn: '' }, IN_2026_27, opened);

		expect(second).toEqual(
			staleAnswer('This enrolment', { stage: 'Stage: saved now as ‘Withdrawn’', endedOn: 'End date: saved now as ‘15 October 2026’' }, await version())
		);
		expect(await stored()).toEqual({ stage: 'withdrawn', ended_on: '2026-10-15' });
		const events = await auditEvents(t.db, 'enrolment.stage_changed');
		expect(events.map((e) => e.detail)).toEqual([expect.objectContaining({ from: 'active', to: 'withdrawn' })]);

		// Sent again on the version now saved, the admin's stage replaces the lead's knowingly, and the audit says what it replaced.
		expect(await changeEnrolmentStage(t.db, admin, programme.id, id, { stage: 'completed', endedOn: '' }, IN_2026_27, await version())).toEqual({
			ok: true,
			id
		});
		expect(await stored()).toEqual({ stage: 'completed', ended_on: '2026-11-27' });
		expect((await auditEvents(t.db, 'enrolment.stage_changed')).map((e) => e.detail)).toEqual([
			expect.objectContaining({ from: 'active', to: 'withdrawn' }),
			expect.objectContaining({ from: 'withdrawn', to: 'completed' })
		]);
	});
});

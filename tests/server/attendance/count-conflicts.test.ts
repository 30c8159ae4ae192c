import { describe, expect, it } from 'vitest';
import { countChangesFromForm, countField } from '../../../src/lib/server/attendance/attendance.schema';
import { getHeadcounts, saveHeadcounts } from '../../../src/lib/server/attendance/attendance.service';
import { getStationRegister, saveStationHeadcounts } from '../../../src/lib/server/attendance/station-registers.service';
import { createLedProgramme } from '../../support/booking-world';
import { makeCarouselSession } from '../../support/carousel-world';
import { useTestDatabase } from '../../support/database';
import { makeHeadcountSession, STARTED } from '../../support/attendance-world';
import { auditEvents, makeSchool } from '../../support/factories';

// Rule 2 of issue 12 for counts: two people counting the same register from the page as each
// loaded it. Each change is what the page's form sends (countChangesFromForm): the count typed,
// and the count and version the page showed.

const t = useTestDatabase();
const later = (minutes: number) => new Date(STARTED.getTime() + minutes * 60_000);

interface Shown {
	school_id: string;
	year_group: string;
	count: number | null;
	version: number | null;
}

/** What the page's form sends for the boxes typed into, as the page showed them. */
function typed(page: Shown[], entries: [schoolId: string, yearGroup: string, value: string][], clears = false) {
	const form = new FormData();
	for (const cell of page) {
		const key = `${cell.school_id}.${cell.year_group}`;
		const entry = entries.find(([schoolId, yearGroup]) => schoolId === cell.school_id && yearGroup === cell.year_group);
		form.append(`count.${key}`, entry ? entry[2] : String(cell.count ?? ''));
		form.append(`was.${key}`, String(cell.count ?? ''));
		form.append(`version.${key}`, String(cell.version ?? ''));
	}
	return countChangesFromForm(form, clears).changes;
}

const headcounts = (sessionId: string) =>
	t.db
		.selectFrom('attendance_headcount')
		.select(['school_id', 'year_group', 'count', 'version', 'recorded_by'])
		.where('session_id', '=', sessionId)
		.orderBy('count')
		.execute();

describe('two people saving the same headcount register', () => {
	it('keeps both when they change different schools’ counts', async () => {
		const w = await makeHeadcountSession(t.db);
		const page = (await getHeadcounts(t.db, w.lead, w.sessionId)).counts;

		const first = await saveHeadcounts(t.db, w.lead, w.sessionId, typed(page, [[w.schoolId, 'Y8', '9']]), later(1));
		const second = await saveHeadcounts(t.db, w.admin, w.sessionId, typed(page, [[w.otherSchoolId, 'parents', '4']]), later(2));

		expect(first).toEqual({ ok: true, saved: 1, changed: 1, conflicts: [] });
		expect(second).toEqual({ ok: true, saved: 1, changed: 1, conflicts: [] });
		expect(await headcounts(w.sessionId)).toEqual([
			{ school_id: w.otherSchoolId, year_group: 'parents', count: 4, version: 1, recorded_by: w.admin.id },
			{ school_id: w.schoolId, year_group: 'Y8', count: 9, version: 1, recorded_by: w.lead.id }
		]);
	});

	it('shows the second a conflict for the same school, keeps the first’s count, and saves the second’s other counts', async () => {
		const w = await makeHeadcountSession(t.db);
		await saveHeadcounts(t.db, w.lead, w.sessionId, [{ schoolId: w.schoolId, yearGroup: 'Y8', count: 7, basedOn: null }], later(1));
		const page = (await getHeadcounts(t.db, w.lead, w.sessionId)).counts;

		await saveHeadcounts(t.db, w.lead, w.sessionId, typed(page, [[w.schoolId, 'Y8', '9']]), later(2));
		const second = await saveHeadcounts(
			t.db,
			w.admin,
			w.sessionId,
			typed(page, [
				[w.schoolId, 'Y8', '8'],
				[w.schoolId, 'parents', '3']
			]),
			later(3)
		);

		expect(second).toEqual({
			ok: true,
			saved: 1,
			changed: 1,
			conflicts: [
				{
					schoolId: w.schoolId,
					yearGroup: 'Y8',
					school: 'Aardvark Academy',
					label: 'Year 8',
					theirs: 9,
					by: expect.any(String),
					at: later(2),
					version: 2,
					yours: 8
				}
			]
		});
		expect(await headcounts(w.sessionId)).toEqual([
			{ school_id: w.schoolId, year_group: 'parents', count: 3, version: 1, recorded_by: w.admin.id },
			{ school_id: w.schoolId, year_group: 'Y8', count: 9, version: 2, recorded_by: w.lead.id }
		]);
		expect((await auditEvents(t.db, 'attendance.count_changed')).map((e) => [e.actor_id, e.detail])).toEqual([
			[w.lead.id, { schoolId: w.schoolId, yearGroup: 'Y8', from: 7, to: 9 }]
		]);
	});

	it('saves “use yours” against the newer version, and “keep theirs” changes nothing', async () => {
		const w = await makeHeadcountSession(t.db);
		const page = (await getHeadcounts(t.db, w.lead, w.sessionId)).counts;
		await saveHeadcounts(t.db, w.lead, w.sessionId, typed(page, [[w.schoolId, 'Y8', '9']]), later(1));
		const second = await saveHeadcounts(t.db, w.admin, w.sessionId, typed(page, [[w.schoolId, 'Y8', '8']]), later(2));
		const [conflict] = second.ok ? second.conflicts : [];
		// The conflict's form: the count and version of theirs, and the choice.
		const choice = (value: string) =>
			typed([{ school_id: w.schoolId, year_group: 'Y8', count: conflict!.theirs, version: conflict!.version }], [[w.schoolId, 'Y8', value]]);

		expect(await saveHeadcounts(t.db, w.admin, w.sessionId, choice('9'), later(3))).toEqual({ ok: true, saved: 0, changed: 0, conflicts: [] });
		expect(await saveHeadcounts(t.db, w.admin, w.sessionId, choice('8'), later(4))).toEqual({ ok: true, saved: 1, changed: 1, conflicts: [] });

		expect(await headcounts(w.sessionId)).toEqual([{ school_id: w.schoolId, year_group: 'Y8', count: 8, version: 2, recorded_by: w.admin.id }]);
		// "Use yours" sent again is based on a version now gone: a conflict again, not an overwrite.
		const again = await saveHeadcounts(t.db, w.lead, w.sessionId, choice('10'), later(5));
		expect(again).toMatchObject({ ok: true, saved: 0, changed: 0, conflicts: [{ theirs: 8, version: 2, yours: 10 }] });
	});
});

describe('bad counts on the register form', () => {
	it('refuses the whole save beside the box, saving nothing, and audits the refusal by reason only', async () => {
		const w = await makeHeadcountSession(t.db);
		await saveHeadcounts(t.db, w.lead, w.sessionId, [{ schoolId: w.schoolId, yearGroup: 'parents', count: 4, basedOn: null }], later(1));
		const stranger = await makeSchool(t.db, { name: 'Stranger School' });
		const good = { schoolId: w.otherSchoolId, yearGroup: 'parents', count: 5, basedOn: null };
		const y8 = (count: number, basedOn: number | null = null) => [good, { schoolId: w.schoolId, yearGroup: 'Y8', count, basedOn }];
		const parents = (count: number, basedOn: number | null) => [good, { schoolId: w.schoolId, yearGroup: 'parents', count, basedOn }];
		const save = (changes: Parameters<typeof saveHeadcounts>[3]) => saveHeadcounts(t.db, w.lead, w.sessionId, changes, later(2));
		const y8Field = countField(w.schoolId, 'Y8');
		const parentsField = countField(w.schoolId, 'parents');

		expect(await save(y8(Number.NaN))).toEqual({
			ok: false,
			code: 'invalid',
			errors: { [y8Field]: 'Enter how many of Year 8 from Aardvark Academy came as a whole number, like 12' }
		});
		expect(await save(y8(-1))).toMatchObject({ code: 'invalid', errors: { [y8Field]: expect.stringContaining('whole number') } });
		expect(await save(y8(2.5))).toMatchObject({ code: 'invalid', errors: { [y8Field]: expect.stringContaining('whole number') } });
		expect(await save(y8(10_001))).toMatchObject({ code: 'invalid', errors: { [y8Field]: expect.stringContaining('10,000 or fewer') } });
		expect(await save(parents(6, 2))).toMatchObject({ code: 'refused', reason: 'future_version', field: parentsField });
		expect(await save(y8(6, 1))).toMatchObject({ code: 'refused', reason: 'future_version', field: y8Field });
		expect(await save(parents(6, 0))).toMatchObject({ code: 'refused', reason: 'bad_version', field: parentsField });
		expect(await save(parents(6, Number.NaN))).toMatchObject({ code: 'refused', reason: 'bad_version' });
		expect(await save([good, good])).toMatchObject({ code: 'refused', reason: 'duplicate', field: countField(w.otherSchoolId, 'parents') });
		expect(await save([good, { schoolId: stranger.id, yearGroup: 'parents', count: 1, basedOn: null }])).toMatchObject({
			code: 'refused',
			reason: 'not_on_register',
			field: 'counts',
			message: expect.stringContaining('no places at this session')
		});

		expect(await headcounts(w.sessionId)).toEqual([{ school_id: w.schoolId, year_group: 'parents', count: 4, version: 1, recorded_by: w.lead.id }]);
		const refusals = await auditEvents(t.db, 'attendance.save_refused');
		expect(refusals.map((e) => e.detail)).toEqual([
			...['invalid_count', 'invalid_count', 'invalid_count', 'invalid_count', 'future_version', 'future_version', 'bad_version', 'bad_version'].map(
				(reason) => ({
					reason,
					changes: 2
				})
			),
			{ reason: 'duplicate', changes: 2 },
			{ reason: 'not_on_register', changes: 2 }
		]);
		expect(refusals.every((e) => e.actor_id === w.lead.id && e.entity_id === w.sessionId)).toBe(true);
		expect(JSON.stringify(refusals)).not.toMatch(/Aardvark|Zebra|Stranger/);
	});

	it('is a 404 for another programme’s lead, audited, saving nothing', async () => {
		const w = await makeHeadcountSession(t.db);
		const other = await createLedProgramme(t.db);
		const changes = [{ schoolId: w.schoolId, yearGroup: 'Y8', count: 3, basedOn: null }];

		await expect(saveHeadcounts(t.db, other.lead, w.sessionId, changes, later(1))).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused')).map((e) => [e.actor_id, e.entity_id])).toEqual([[other.lead.id, w.sessionId]]);
		expect(await headcounts(w.sessionId)).toEqual([]);
	});
});

describe('two people saving the same workstation’s register', () => {
	it('shows a conflict for a count changed or cleared meanwhile, and saves “use yours” against it', async () => {
		const w = await makeCarouselSession(t.db);
		const fire = w.stationIds[0]!;
		await saveStationHeadcounts(
			t.db,
			w.lead,
			w.sessionId,
			fire,
			[
				{ schoolId: w.aardvark, yearGroup: 'Y6', count: 18, basedOn: null },
				{ schoolId: w.zebra, yearGroup: 'Y6', count: 12, basedOn: null }
			],
			later(1)
		);
		const page = (await getStationRegister(t.db, w.lead, w.sessionId, fire)).cells;
		// The first empties Zebra's box (clearing it) and changes Aardvark's.
		await saveStationHeadcounts(
			t.db,
			w.lead,
			w.sessionId,
			fire,
			typed(
				page,
				[
					[w.aardvark, 'Y6', '19'],
					[w.zebra, 'Y6', '']
				],
				true
			),
			later(2)
		);

		const second = await saveStationHeadcounts(
			t.db,
			w.admin,
			w.sessionId,
			fire,
			typed(
				page,
				[
					[w.aardvark, 'Y6', ''],
					[w.zebra, 'Y6', '11']
				],
				true
			),
			later(3)
		);

		expect(second).toMatchObject({
			ok: true,
			saved: 0,
			changed: 0,
			conflicts: [
				{ school: 'Aardvark Primary', theirs: 19, version: 2, yours: null, at: later(2) },
				{ school: 'Zebra Primary', theirs: null, version: null, yours: 11, at: null }
			]
		});
		const useYours = second.ok ? second.conflicts.map((c) => ({ schoolId: c.schoolId, yearGroup: c.yearGroup, count: c.yours, basedOn: c.version })) : [];
		expect(await saveStationHeadcounts(t.db, w.admin, w.sessionId, fire, useYours, later(4))).toEqual({ ok: true, saved: 2, changed: 2, conflicts: [] });
		expect((await getStationRegister(t.db, w.lead, w.sessionId, fire)).cells.map((c) => [c.school_name, c.count, c.version])).toEqual([
			['Aardvark Primary', null, null],
			['Zebra Primary', 11, 1]
		]);
	});

	it('refuses a count over the places held beside its box, with the good counts unsaved, audited with the station', async () => {
		const w = await makeCarouselSession(t.db);
		const fire = w.stationIds[0]!;
		const page = (await getStationRegister(t.db, w.lead, w.sessionId, fire)).cells;

		const result = await saveStationHeadcounts(
			t.db,
			w.lead,
			w.sessionId,
			fire,
			typed(
				page,
				[
					[w.aardvark, 'Y6', '21'],
					[w.zebra, 'Y6', '10']
				],
				true
			),
			later(1)
		);

		expect(result).toEqual({
			ok: false,
			code: 'invalid',
			errors: { [countField(w.aardvark, 'Y6')]: 'Aardvark Primary has 20 confirmed places for Year 6: enter 20 or fewer' }
		});
		expect((await getStationRegister(t.db, w.lead, w.sessionId, fire)).cells.map((c) => c.count)).toEqual([null, null]);
		expect((await auditEvents(t.db, 'attendance.save_refused')).map((e) => e.detail)).toEqual([{ reason: 'over_places', changes: 2, stationId: fire }]);
	});
});

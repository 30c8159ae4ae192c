import { describe, expect, it } from 'vitest';
import { countChangesFromForm, registerChangesFromForm, unmarkedAsPresent } from '../../../src/lib/server/attendance/attendance.schema';

const form = (fields: [string, string][]) => {
	const data = new FormData();
	for (const [name, value] of fields) data.append(name, value);
	return data;
};

describe('registerChangesFromForm', () => {
	it('sends on only the rows whose choice differs from what the page showed, each with the version it was based on', () => {
		const parsed = registerChangesFromForm(
			form([
				['base', 'a1.p.3 b2.. c3.l.1 d4.. e5.u.2 f6.p.x'],
				['m0', 'p'],
				['m1', ''],
				['m2', ' e '],
				['m3', 'k'],
				['m4', ''],
				['m5', 'l'],
				['note', 'x']
			])
		);
		expect(parsed.changes).toEqual([
			{ youngPersonId: 'c3', status: 'left_early', basedOn: 1 },
			{ youngPersonId: 'd4', status: 'absent_unknown', basedOn: null },
			{ youngPersonId: 'f6', status: 'late', basedOn: Number.NaN }
		]);
		expect(parsed.values).toEqual({ a1: 'p', b2: '', c3: 'e', d4: 'k', e5: '', f6: 'l' });
	});

	it('passes an unknown code on as it was sent, for the service to refuse', () => {
		expect(
			registerChangesFromForm(
				form([
					['base', 'a1..'],
					['m0', 'zz']
				])
			).changes
		).toEqual([{ youngPersonId: 'a1', status: 'zz', basedOn: null }]);
	});
});

describe('unmarkedAsPresent', () => {
	it('chooses present for the rows with no mark shown and none chosen, and counts them, leaving the others as chosen', () => {
		const parsed = unmarkedAsPresent(
			form([
				['base', 'a1.l.1 b2.. c3.. d4..'],
				['m0', 'l'],
				['m1', ''],
				['m2', 'a']
			])
		);
		expect(parsed).toEqual({ changed: 2, values: { a1: 'l', b2: 'p', c3: 'a', d4: 'p' } });
	});
});

describe('countChangesFromForm', () => {
	// The service refuses NaN, so a count typed as a fraction, below 0 or in words, or a version that is no number, is never saved.
	it('sends on only the counts that differ from what the page showed, each with the version it was based on', () => {
		const parsed = countChangesFromForm(
			form([
				['count.s1.Y8', '12'],
				['was.s1.Y8', '12'],
				['version.s1.Y8', '3'],
				['count.s1.Y9', '7'],
				['was.s1.Y9', '5'],
				['version.s1.Y9', '2'],
				['count.s2.parents', '3.5'],
				['was.s2.parents', ''],
				['version.s2.parents', ''],
				['count.s2.Y8', ''],
				['was.s2.Y8', '4'],
				['version.s2.Y8', '1'],
				['count.s3.Y8', '-1'],
				['was.s3.Y8', ''],
				['version.s3.Y8', 'x']
			]),
			false
		);
		expect(parsed.changes).toEqual([
			{ schoolId: 's1', yearGroup: 'Y9', count: 7, basedOn: 2 },
			{ schoolId: 's2', yearGroup: 'parents', count: Number.NaN, basedOn: null },
			{ schoolId: 's3', yearGroup: 'Y8', count: Number.NaN, basedOn: Number.NaN }
		]);
		expect(parsed.values).toMatchObject({ 'count.s1.Y9': '7', 'was.s1.Y9': '5', 'version.s1.Y9': '2', 'count.s2.parents': '3.5' });
	});

	it('reads an emptied box at a workstation as a count to clear, and sends on a box sent twice or without what it was based on', () => {
		const parsed = countChangesFromForm(
			form([
				['count.s1.Y6', ''],
				['was.s1.Y6', '4'],
				['version.s1.Y6', '1'],
				['count.s2.Y6', '5'],
				['count.s2.Y6', '5'],
				['was.s2.Y6', '5'],
				['version.s2.Y6', '1'],
				['count.s3.Y6', '6']
			]),
			true
		);
		expect(parsed.changes).toEqual([
			{ schoolId: 's1', yearGroup: 'Y6', count: null, basedOn: 1 },
			{ schoolId: 's2', yearGroup: 'Y6', count: 5, basedOn: 1 },
			{ schoolId: 's2', yearGroup: 'Y6', count: 5, basedOn: 1 },
			{ schoolId: 's3', yearGroup: 'Y6', count: 6, basedOn: Number.NaN }
		]);
	});
});

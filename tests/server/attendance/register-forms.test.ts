import { describe, expect, it } from 'vitest';
import { headcountsFromForm, marksFromForm, stationHeadcountsFromForm } from '../../../src/lib/server/attendance/attendance.schema';

const form = (fields: [string, string][]) => {
	const data = new FormData();
	for (const [name, value] of fields) data.append(name, value);
	return data;
};

describe('marksFromForm', () => {
	it('reads one mark per young person, leaving out the unmarked and other fields', () => {
		const parsed = marksFromForm(
			form([
				['mark.a1', ' present '],
				['mark.b2', ''],
				['note', 'x'],
				['mark.c3', 'late']
			])
		);
		expect(parsed.marks).toEqual([
			{ youngPersonId: 'a1', status: 'present' },
			{ youngPersonId: 'c3', status: 'late' }
		]);
		expect(parsed.values).toEqual({ a1: 'present', c3: 'late' });
	});
});

describe('headcountsFromForm', () => {
	// The service refuses NaN, so a count typed as a fraction, below 0 or in words is never saved.
	it('reads each school and year group, leaving out empty boxes, and anything but digits as no number', () => {
		const parsed = headcountsFromForm(
			form([
				['count.s1.Y8', '12'],
				['count.s1.Y9', ''],
				['count.s2.parents', '3.5'],
				['count.s2.Y8', '-1']
			])
		);
		expect(parsed.counts).toEqual([
			{ schoolId: 's1', yearGroup: 'Y8', count: 12 },
			{ schoolId: 's2', yearGroup: 'parents', count: Number.NaN },
			{ schoolId: 's2', yearGroup: 'Y8', count: Number.NaN }
		]);
		expect(parsed.values).toEqual({ 's1.Y8': '12', 's2.parents': '3.5', 's2.Y8': '-1' });
	});
});

describe('stationHeadcountsFromForm', () => {
	it('reads an empty box as a count to clear, keyed by its field name', () => {
		const parsed = stationHeadcountsFromForm(
			form([
				['count.s1.Y6', ' 4 '],
				['count.s2.Y6', ''],
				['count.s3.Y6', 'ten']
			])
		);
		expect(parsed.counts).toEqual([
			{ schoolId: 's1', yearGroup: 'Y6', count: 4 },
			{ schoolId: 's2', yearGroup: 'Y6', count: null },
			{ schoolId: 's3', yearGroup: 'Y6', count: Number.NaN }
		]);
		expect(parsed.values).toEqual({ 'count.s1.Y6': '4', 'count.s2.Y6': '', 'count.s3.Y6': 'ten' });
	});
});

import { describe, expect, it } from 'vitest';
import { academicYearOf, parseYearGroup, receptionYearFor, yearGroupIn } from '../../../src/lib/server/young-people/young-people.schema';

describe('academicYearOf', () => {
	it('counts 31 August in the academic year that began the September before', () => {
		expect(academicYearOf(new Date('2027-08-31T12:00:00Z'))).toBe(2026);
	});

	it('starts a new academic year on 1 September', () => {
		expect(academicYearOf(new Date('2027-09-01T12:00:00Z'))).toBe(2027);
	});

	// Late on 31 August in UTC is already 1 September in British Summer Time.
	it('turns over at midnight UK time, not UTC', () => {
		expect(academicYearOf(new Date('2027-08-31T22:59:59Z'))).toBe(2026);
		expect(academicYearOf(new Date('2027-08-31T23:00:00Z'))).toBe(2027);
	});

	it('keeps January to August in the year that began the September before', () => {
		expect(academicYearOf(new Date('2027-01-01T00:30:00Z'))).toBe(2026);
	});
});

describe('year groups', () => {
	it('moves a Year 8 pupil to Year 9 on 1 September without anyone re-entering them', () => {
		const receptionYear = receptionYearFor('Y8', academicYearOf(new Date('2027-08-31T12:00:00Z')));
		expect(receptionYear).toBe(2018);
		expect(yearGroupIn(receptionYear, academicYearOf(new Date('2027-08-31T12:00:00Z')))).toBe('Y8');
		expect(yearGroupIn(receptionYear, academicYearOf(new Date('2027-09-01T12:00:00Z')))).toBe('Y9');
	});

	it('counts Reception as 0', () => {
		expect(receptionYearFor('R', 2026)).toBe(2026);
		expect(yearGroupIn(2026, 2026)).toBe('R');
		expect(yearGroupIn(2026, 2027)).toBe('Y1');
	});

	it('gives no year group once someone has left Year 13, or before Reception', () => {
		expect(yearGroupIn(2013, 2026)).toBe('Y13');
		expect(yearGroupIn(2012, 2026)).toBeUndefined();
		expect(yearGroupIn(2027, 2026)).toBeUndefined();
	});

	it.each([
		['8', 'Y8'],
		['Y8', 'Y8'],
		['y 8', 'Y8'],
		['Year 8', 'Y8'],
		['YEAR 13', 'Y13'],
		['R', 'R'],
		['Reception', 'R'],
		['rec', 'R']
	])('reads the year group written %s', (text, yearGroup) => {
		expect(parseYearGroup(text)).toBe(yearGroup);
	});

	it.each(['0', '14', 'Year', 'Nursery', 'parents', ''])('refuses the year group written "%s"', (text) => {
		expect(parseYearGroup(text)).toBeUndefined();
	});
});

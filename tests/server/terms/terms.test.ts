import { describe, expect, it } from 'vitest';
import { addTerm, changeTerm, listTermsFor } from '../../../src/lib/server/terms/terms.service';
import { validateTerm, type TermValues } from '../../../src/lib/server/terms/terms.schema';
import { holidayOn } from '../../../src/lib/server/terms/holidays';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';

const t = useTestDatabase();

const termValues = (overrides: Partial<TermValues> = {}): TermValues => ({
	academicYear: '2030',
	name: 'Term 1',
	firstDay: '2030-09-02',
	lastDay: '2030-10-18',
	source: 'Kent County Council published dates',
	...overrides
});

describe('holidayOn', () => {
	const terms = [
		{ academic_year: 2026, name: 'Term 4', first_day: '2027-02-22', last_day: '2027-03-25' },
		{ academic_year: 2026, name: 'Term 5', first_day: '2027-04-12', last_day: '2027-05-28' }
	];

	it('finds a day between two terms, weekends included', () => {
		expect(holidayOn(terms, '2027-04-08')).toMatchObject({ after: { name: 'Term 4' }, before: { name: 'Term 5' } });
		expect(holidayOn(terms, '2027-03-27')).toBeDefined();
	});

	it('calls the first and last days of a term, and weekends inside it, term', () => {
		expect(holidayOn(terms, '2027-03-25')).toBeUndefined();
		expect(holidayOn(terms, '2027-04-12')).toBeUndefined();
		expect(holidayOn(terms, '2027-04-17')).toBeUndefined();
	});

	it('does not guess before the first term or after the last one it knows', () => {
		expect(holidayOn(terms, '2027-01-10')).toBeUndefined();
		expect(holidayOn(terms, '2027-08-10')).toBeUndefined();
	});
});

describe('validateTerm', () => {
	it('accepts a complete term', () => {
		expect(validateTerm(termValues()).errors).toEqual({});
	});

	it('refuses a last day before the first day, beside the last day', () => {
		expect(validateTerm(termValues({ lastDay: '2030-09-01' })).errors).toEqual({ lastDay: 'The last day must be the same as or after the first day' });
	});

	it('refuses dates outside the academic year, beside each date', () => {
		const { errors } = validateTerm(termValues({ firstDay: '2030-08-28', lastDay: '2031-09-02' }));
		expect(errors.firstDay).toMatch(/must be in the 2030 to 2031 academic year \(1 September 2030 to 31 August 2031\)/);
		expect(errors.lastDay).toMatch(/must be in the 2030 to 2031 academic year/);
	});

	it('asks for each missing field', () => {
		expect(Object.keys(validateTerm({ academicYear: '', name: '', firstDay: '', lastDay: '', source: '' }).errors).sort()).toEqual([
			'academicYear',
			'firstDay',
			'lastDay',
			'name',
			'source'
		]);
	});
});

describe('the terms entered', () => {
	it('has six terms for each academic year from 2018-19 to 2027-28, none overlapping, each with its source', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const terms = await listTermsFor(t.db, admin);
		for (let year = 2018; year <= 2027; year++) expect(terms.filter((term) => term.academic_year === year)).toHaveLength(6);
		for (let i = 1; i < terms.length; i++) expect(terms[i]!.first_day > terms[i - 1]!.last_day).toBe(true);
		const sources = new Set(terms.map((term) => term.source));
		expect(sources).toEqual(new Set(['Kent County Council dates, as published by Kent schools', "Approximation: pattern of Kent's published dates"]));
		// 2027-28 is not published yet: all of it is an approximation.
		expect(terms.filter((term) => term.academic_year === 2027).every((term) => term.source.startsWith('Approximation'))).toBe(true);
	});
});

describe('adding and changing terms', () => {
	it('adds a term and audits it', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const result = await addTerm(t.db, admin, termValues());
		expect(result.ok).toBe(true);
		const [event] = await auditEvents(t.db, 'term.added');
		expect(event).toMatchObject({ actor_id: admin.id, entity_type: 'school_term', entity_id: result.ok ? result.id : '' });
	});

	it('refuses a term that overlaps another, beside the first day, and writes nothing', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const before = await listTermsFor(t.db, admin);
		const result = await addTerm(t.db, admin, termValues({ academicYear: '2026', name: 'Extra', firstDay: '2027-05-20', lastDay: '2027-06-02' }));
		expect(result).toMatchObject({ ok: false, code: 'invalid', errors: { firstDay: expect.stringMatching(/overlap Term 5 of 2026 to 2027/) } });
		expect(await listTermsFor(t.db, admin)).toHaveLength(before.length);
		expect(await auditEvents(t.db, 'term.added')).toEqual([]);
	});

	it('refuses a second term of the same name in a year', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const result = await addTerm(t.db, admin, termValues({ academicYear: '2026', name: 'term 5', firstDay: '2027-08-02', lastDay: '2027-08-03' }));
		expect(result).toMatchObject({ ok: false, errors: { name: '2026 to 2027 already has a term called Term 5' } });
	});

	it('changes a term, which may keep its own dates, and audits what it was', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const term5 = (await listTermsFor(t.db, admin)).find((term) => term.academic_year === 2026 && term.name === 'Term 5')!;
		const result = await changeTerm(t.db, admin, term5.id, termValues({ academicYear: '2026', name: 'Term 5', firstDay: '2027-04-13', lastDay: '2027-05-28' }));
		expect(result).toEqual({ ok: true });
		const [event] = await auditEvents(t.db, 'term.changed');
		expect(event?.detail).toMatchObject({ was: { first_day: '2027-04-12' }, now: { first_day: '2027-04-13' } });
	});

	it('answers anyone but an admin as if the terms were not there, and audits the attempt', async () => {
		for (const role of ['lead', 'school', 'viewer'] as const) {
			const actor = await makeActor(t.db, { role });
			await expect(listTermsFor(t.db, actor)).rejects.toMatchObject({ status: 404 });
			await expect(addTerm(t.db, actor, termValues())).rejects.toMatchObject({ status: 404 });
		}
		expect((await auditEvents(t.db, 'access.refused')).filter((e) => e.entity_type === 'school_term')).toHaveLength(6);
	});
});

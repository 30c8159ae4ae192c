import { describe, expect, it } from 'vitest';
import { scheduleSessions, updateSessionDetails } from '../../../src/lib/server/sessions/sessions.service';
import { changeTerm, listTermsFor } from '../../../src/lib/server/terms/terms.service';
import { londonParts } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { createLedProgramme, sessionValues } from '../../support/booking-world';
import { auditEvents } from '../../support/factories';
import type { SessionValues } from '../../../src/lib/server/sessions/sessions.schema';

const t = useTestDatabase();

// Scheduled on 2 December 2026, against Kent's 2026-27 terms as entered: Term 4 ends on
// Thursday 25 March 2027 and Term 5 starts on Monday 12 April 2027 (Easter Sunday is 28 March).
const NOW = new Date('2026-12-02T10:00:00Z');

const thursdays = (overrides: Partial<SessionValues> = {}) =>
	sessionValues({ date: '2027-04-08', bookingOpens: '2027-03-01', bookingCloses: '2027-04-01', repeat: 'weekly', repeatCount: '2', ...overrides });

async function sessionDates(programmeId: string) {
	const rows = await t.db.selectFrom('programme_session').select('starts_at').where('programme_id', '=', programmeId).orderBy('starts_at').execute();
	return rows.map((r) => londonParts(r.starts_at).date);
}

describe('a weekly series and the school holidays', () => {
	it('leaves out 8 April 2027, in the Easter holidays, and says so; 15 April is in Term 5 and is kept', async () => {
		const world = await createLedProgramme(t.db);
		const result = await scheduleSessions(t.db, world.lead, world.programmeId, thursdays({ skipHolidays: true }), NOW);
		expect(result).toMatchObject({ ok: true, skipped: ['2027-04-08'] });
		expect(await sessionDates(world.programmeId)).toEqual(['2027-04-15']);
		const [event] = await auditEvents(t.db, 'session.created');
		expect(event?.detail).toMatchObject({ skippedHolidays: ['2027-04-08'] });
	});

	it('leaves out both 8 and 15 April when the terms say both are holidays (Term 5 from 19 April)', async () => {
		const world = await createLedProgramme(t.db);
		const term5 = (await listTermsFor(t.db, world.admin)).find((term) => term.academic_year === 2026 && term.name === 'Term 5')!;
		const moved = await changeTerm(t.db, world.admin, term5.id, {
			academicYear: '2026',
			name: 'Term 5',
			firstDay: '2027-04-19',
			lastDay: term5.last_day,
			source: term5.source
		});
		expect(moved.ok).toBe(true);
		const result = await scheduleSessions(t.db, world.lead, world.programmeId, thursdays({ repeatCount: '3' }), NOW);
		expect(result).toMatchObject({ ok: true, skipped: ['2027-04-08', '2027-04-15'] });
		expect(await sessionDates(world.programmeId)).toEqual(['2027-04-22']);
	});

	it('skips holidays by default, and across a whole series: March to May 2027 loses 1 and 8 April', async () => {
		const world = await createLedProgramme(t.db);
		const values = thursdays({ date: '2027-03-18', bookingOpens: '2027-03-01', bookingCloses: '2027-03-10', repeatCount: '', repeatUntil: '2027-04-22' });
		delete values.skipHolidays;
		const result = await scheduleSessions(t.db, world.lead, world.programmeId, values, NOW);
		expect(result).toMatchObject({ ok: true, skipped: ['2027-04-01', '2027-04-08'] });
		expect(await sessionDates(world.programmeId)).toEqual(['2027-03-18', '2027-03-25', '2027-04-15', '2027-04-22']);
	});

	it('with the box unticked, warns about the holiday dates, and schedules them all once confirmed', async () => {
		const world = await createLedProgramme(t.db);
		const warned = await scheduleSessions(t.db, world.lead, world.programmeId, thursdays({ skipHolidays: false }), NOW);
		expect(warned).toMatchObject({ ok: false, code: 'refused', reason: 'in_holiday', field: 'date' });
		expect(await sessionDates(world.programmeId)).toEqual([]);
		const confirmed = await scheduleSessions(t.db, world.lead, world.programmeId, thursdays({ skipHolidays: false, confirmHoliday: true }), NOW);
		expect(confirmed).toMatchObject({ ok: true, skipped: [] });
		expect(await sessionDates(world.programmeId)).toEqual(['2027-04-08', '2027-04-15']);
	});

	it('refuses a series every date of which is in the holidays', async () => {
		const world = await createLedProgramme(t.db);
		const result = await scheduleSessions(
			t.db,
			world.lead,
			world.programmeId,
			thursdays({ date: '2027-03-29', bookingCloses: '2027-03-20', repeatCount: '2' }),
			NOW
		);
		expect(result).toMatchObject({ ok: false, code: 'invalid', errors: { date: expect.stringMatching(/Every date/) } });
	});
});

describe('a single session in the school holidays', () => {
	it('warns, naming the holiday, and writes nothing; confirmed, it is scheduled', async () => {
		const world = await createLedProgramme(t.db);
		const single = thursdays({ repeat: 'none', repeatCount: '' });
		const warned = await scheduleSessions(t.db, world.lead, world.programmeId, single, NOW);
		expect(warned).toEqual({
			ok: false,
			code: 'refused',
			reason: 'in_holiday',
			field: 'date',
			message: expect.stringMatching(/^Thu,? 8 Apr 2027 is in the school holidays between Term 4 and Term 5, when schools are closed$/)
		});
		expect(await sessionDates(world.programmeId)).toEqual([]);
		const confirmed = await scheduleSessions(t.db, world.lead, world.programmeId, { ...single, confirmHoliday: true }, NOW);
		expect(confirmed.ok).toBe(true);
		expect(await sessionDates(world.programmeId)).toEqual(['2027-04-08']);
	});

	it('schedules a term-time date without a word', async () => {
		const world = await createLedProgramme(t.db);
		const result = await scheduleSessions(t.db, world.lead, world.programmeId, thursdays({ date: '2027-04-15', repeat: 'none', repeatCount: '' }), NOW);
		expect(result.ok).toBe(true);
	});

	it('warns when a session is moved into the holidays, not when one already there is changed', async () => {
		const world = await createLedProgramme(t.db);
		const term = thursdays({ date: '2027-04-15', repeat: 'none', repeatCount: '' });
		const scheduled = await scheduleSessions(t.db, world.lead, world.programmeId, term, NOW);
		const id = scheduled.ok ? scheduled.ids[0]! : '';
		const moved = await updateSessionDetails(t.db, world.lead, world.programmeId, id, { ...term, date: '2027-04-08' }, NOW);
		expect(moved).toMatchObject({ ok: false, reason: 'in_holiday' });
		expect(await sessionDates(world.programmeId)).toEqual(['2027-04-15']);
		expect((await updateSessionDetails(t.db, world.lead, world.programmeId, id, { ...term, date: '2027-04-08', confirmHoliday: true }, NOW)).ok).toBe(true);
		expect((await updateSessionDetails(t.db, world.lead, world.programmeId, id, { ...term, date: '2027-04-08', venue: 'Deal Town Hall' }, NOW)).ok).toBe(true);
	});
});

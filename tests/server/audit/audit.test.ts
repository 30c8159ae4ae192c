import { sql } from 'kysely';
import { formatDate } from '../../../src/lib/format';
import { describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../../../src/lib/server/audit/audit.queries';
import { browseAuditLog } from '../../../src/lib/server/audit/audit.service';
import { auditDetailText } from '../../../src/lib/server/audit/audit.labels';
import { withTransaction } from '../../../src/lib/server/db/transaction';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeBooking, makeSchool, makeSession } from '../../support/factories';

const t = useTestDatabase();

describe('audit_event', () => {
	it.each([
		['update', sql`update audit_event set action = 'nothing.happened'`],
		['delete', sql`delete from audit_event`],
		['truncate', sql`truncate audit_event`]
	])('refuses to %s rows, whoever asks', async (_, statement) => {
		await insertAuditEvent(t.db, { actorId: null, action: 'test.recorded' });
		// In a savepoint: the refused statement aborts the transaction around it on PostgreSQL.
		await expect(withTransaction(t.db, (trx) => statement.execute(trx))).rejects.toThrow(/append-only/);
		expect(await auditEvents(t.db)).toMatchObject([{ action: 'test.recorded' }]);
	});
});

describe('browseAuditLog', () => {
	async function eventAt(at: string, action = 'test.dated', actorId: string | null = null) {
		await t.db.insertInto('audit_event').values({ at, action, actor_id: actorId, detail: '{}' }).execute();
	}
	const times = (result: Awaited<ReturnType<typeof browseAuditLog>>) => result.events.map((e) => e.at.toISOString());

	it('takes from and to as whole days in UK time, both inclusive', async () => {
		const admin = await makeActor(t.db);
		await eventAt('2026-06-30T22:30:00Z'); // 23:30 on 30 June in London
		await eventAt('2026-06-30T23:30:00Z'); // 00:30 on 1 July
		await eventAt('2026-07-31T22:59:00Z'); // 23:59 on 31 July
		await eventAt('2026-07-31T23:00:00Z'); // midnight starting 1 August
		const july = await browseAuditLog(t.db, admin, { action: 'test.dated', from: '2026-07-01', to: '2026-07-31' });
		expect(july.errors).toEqual({});
		expect(times(july)).toEqual(['2026-07-31T22:59:00.000Z', '2026-06-30T23:30:00.000Z']);
	});

	it.each(['0', 'abc', '99999999999999999999'])('answers a page number of %s without failing', async (page) => {
		const admin = await makeActor(t.db);
		await eventAt('2026-07-01T12:00:00Z');
		const result = await browseAuditLog(t.db, admin, { action: 'test.dated', page });
		expect(result.page).toBeGreaterThanOrEqual(1);
		expect(times(result)).toEqual(page === '99999999999999999999' ? [] : ['2026-07-01T12:00:00.000Z']);
	});

	it('keeps to the winter clock too, when UK time is UTC', async () => {
		const admin = await makeActor(t.db);
		await eventAt('2026-01-14T23:59:00Z');
		await eventAt('2026-01-15T00:00:00Z');
		const day = await browseAuditLog(t.db, admin, { action: 'test.dated', from: '2026-01-15', to: '2026-01-15' });
		expect(times(day)).toEqual(['2026-01-15T00:00:00.000Z']);
	});

	it('filters by who acted and by action', async () => {
		const admin = await makeActor(t.db);
		const lead = await makeActor(t.db, { role: 'lead' });
		await eventAt('2026-05-01T09:00:00Z', 'school.created', admin.id);
		await eventAt('2026-05-01T10:00:00Z', 'school.created', lead.id);
		await eventAt('2026-05-01T11:00:00Z', 'school.updated', lead.id);
		const byLead = await browseAuditLog(t.db, admin, { actor: lead.id });
		const created = await browseAuditLog(t.db, admin, { action: 'school.created' });
		const both = await browseAuditLog(t.db, admin, { actor: lead.id, action: 'school.created' });
		expect(byLead.events.map((e) => e.action)).toEqual(['school.updated', 'school.created']);
		expect(created.events.map((e) => e.actor_email)).toEqual([lead.email, admin.email]);
		expect(times(both)).toEqual(['2026-05-01T10:00:00.000Z']);
	});

	it('gives a date that does not exist a field error', async () => {
		const admin = await makeActor(t.db);
		const result = await browseAuditLog(t.db, admin, { from: '2026-02-30' });
		expect(result.errors).toEqual({ from: expect.any(String) });
		expect(result.events).toEqual([]);
	});

	it('reads as words: the action as a sentence and the record by its name, linked', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, { name: 'Astor College' });
		const session = await makeSession(t.db, { starts_at: '2019-06-12T08:30:00Z' });
		const booking = await makeBooking(t.db, { session_id: session.id, school_id: school.id });
		const gone = '00000000-0000-4000-8000-000000000000';
		const at = (minute: number) => `2026-05-01T09:${String(minute).padStart(2, '0')}:00Z`;
		await t.db
			.insertInto('audit_event')
			.values([
				{ at: at(1), action: 'school.updated', entity_type: 'school', entity_id: school.id, actor_id: admin.id, detail: '{}' },
				{ at: at(2), action: 'booking.cancel_undone', entity_type: 'booking', entity_id: booking.id, actor_id: admin.id, detail: '{}' },
				{ at: at(3), action: 'session.created', entity_type: 'session', entity_id: gone, actor_id: admin.id, detail: '{}' },
				{ at: at(4), action: 'mfa.code_failed', entity_type: null, entity_id: null, actor_id: admin.id, detail: '{}' },
				{ at: at(5), action: 'rota.shift_swapped', entity_type: 'rota_shift', entity_id: gone, actor_id: admin.id, detail: '{}' }
			])
			.execute();
		const log = await browseAuditLog(t.db, admin, { actor: admin.id });
		const programme = await t.db.selectFrom('programme').select('name').where('id', '=', session.programme_id).executeTakeFirstOrThrow();
		expect(log.events.map((e) => [e.actionLabel, e.record])).toEqual([
			['Rota shift swapped', { label: `Rota shift ${gone}`, href: null }],
			['Second factor code wrong', null],
			['Session created', { label: `Session ${gone}`, href: null }],
			['Booking cancellation undone', { label: `Astor College: ${programme.name}, ${formatDate('2019-06-12T08:30:00Z')}`, href: `/bookings/${booking.id}` }],
			['School updated', { label: 'Astor College', href: `/schools/${school.id}` }]
		]);
		expect(log.actions.map((a) => a.label)).toEqual([...log.actions.map((a) => a.label)].sort((a, b) => a.localeCompare(b, 'en-GB')));
		expect(log.actions).toContainEqual({ value: 'booking.cancel_undone', label: 'Booking cancellation undone' });
	});

	it('spells out the details: no underscores, yes and no, what changed in brackets', () => {
		expect(auditDetailText({ second_factor: 'remembered_device', remembered: true, confirmedPlaces: 30, before: { met_on: '2019-01-10', minutes: 45 } })).toBe(
			'Second factor: remembered device; Remembered: yes; Confirmed places: 30; Before: (met on 2019-01-10, minutes 45)'
		);
	});

	it('is for admins only', async () => {
		const lead = await makeActor(t.db, { role: 'lead' });
		await expect(browseAuditLog(t.db, lead, {})).rejects.toMatchObject({ status: 404 });
	});
});

import { describe, expect, it } from 'vitest';
import { runDailyRetention } from '../../../src/lib/server/retention/daily';
import { deactivatedUserRetentionDays } from '../../../src/lib/server/retention/staff';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeUser } from '../../support/factories';

const t = useTestDatabase();
const NOW = new Date('2026-12-03T02:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('the nightly retention of staff accounts and sign-in records', () => {
	it('deletes expired sessions, invitations, reset links and remembered devices, and keeps current ones', async () => {
		const user = await makeUser(t.db, { role: 'lead' });
		await t.db
			.insertInto('auth_session')
			.values([
				{ id: 'expired-session', user_id: user.id, expires_at: ago(1) },
				{ id: 'current-session', user_id: user.id, expires_at: new Date(NOW.getTime() + DAY) }
			])
			.execute();
		await t.db
			.insertInto('user_token')
			.values([
				{ id: 'expired-invitation', user_id: user.id, purpose: 'invitation', expires_at: ago(2) },
				{ id: 'expired-reset', user_id: user.id, purpose: 'password_reset', expires_at: ago(1), used_at: ago(1) },
				{ id: 'current-reset', user_id: user.id, purpose: 'password_reset', expires_at: new Date(NOW.getTime() + 3600_000) }
			])
			.execute();
		await t.db
			.insertInto('remembered_device')
			.values([
				{ id: 'old-device', user_id: user.id, expires_at: ago(1) },
				{ id: 'new-device', user_id: user.id, expires_at: new Date(NOW.getTime() + DAY) }
			])
			.execute();

		const done = await runDailyRetention(t.db, NOW, {});

		expect(done).toMatchObject({ sessions: 1, links: 2, devices: 1 });
		expect((await t.db.selectFrom('auth_session').select('id').where('user_id', '=', user.id).execute()).map((r) => r.id)).toEqual(['current-session']);
		expect((await t.db.selectFrom('user_token').select('id').where('user_id', '=', user.id).execute()).map((r) => r.id)).toEqual(['current-reset']);
		expect((await t.db.selectFrom('remembered_device').select('id').where('user_id', '=', user.id).execute()).map((r) => r.id)).toEqual(['new-device']);
	});

	it("drops an email's text 30 days after it was written, keeping the row", async () => {
		await t.db
			.insertInto('outbox_message')
			.values([
				{ to_address: 'a@example.org', subject: 'Old', body_text: 'https://example.org/reset-password/secret', status: 'kept', created_at: ago(31) } as never,
				{ to_address: 'a@example.org', subject: 'New', body_text: 'Recent text', status: 'kept', created_at: ago(29) } as never
			])
			.execute();
		expect((await runDailyRetention(t.db, NOW, {})).emailTexts).toBe(1);
		const rows = await t.db
			.selectFrom('outbox_message')
			.select(['subject', 'body_text'])
			.where('to_address', '=', 'a@example.org')
			.orderBy('subject')
			.execute();
		expect(rows).toEqual([
			{ subject: 'New', body_text: 'Recent text' },
			{ subject: 'Old', body_text: null }
		]);
	});

	it('anonymises an account deactivated longer than STAFF_RETENTION_DAYS, and only that one, audited by id', async () => {
		const gone = await makeUser(t.db, { role: 'lead', name: 'Perpetua Wolstenholme', email: 'perpetua@example.org', status: 'deactivated' });
		const recent = await makeUser(t.db, { role: 'lead', name: 'Recently Left', status: 'deactivated' });
		const active = await makeUser(t.db, { role: 'lead', name: 'Still Here' });
		await t.db
			.updateTable('app_user')
			.set({ updated_at: ago(91) })
			.where('id', 'in', [gone.id, active.id])
			.execute();
		await t.db
			.updateTable('app_user')
			.set({ updated_at: ago(89) })
			.where('id', '=', recent.id)
			.execute();
		await t.db
			.insertInto('auth_session')
			.values({ id: 'gone-session', user_id: gone.id, expires_at: new Date(NOW.getTime() + DAY) })
			.execute();
		await t.db
			.insertInto('outbox_message')
			.values({ to_address: 'perpetua@example.org', subject: 'Welcome', body_text: 'Dear Perpetua', status: 'kept' })
			.execute();

		const done = await runDailyRetention(t.db, NOW, { STAFF_RETENTION_DAYS: '90' });

		expect(done.accountsAnonymised).toBe(1);
		const row = await t.db.selectFrom('app_user').selectAll().where('id', '=', gone.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			name: 'Former member of staff',
			email: `former-staff-${gone.id}@anonymised.invalid`,
			password_hash: null,
			totp_secret: null,
			status: 'deactivated',
			anonymised_at: NOW
		});
		expect(await t.db.selectFrom('auth_session').select('id').where('user_id', '=', gone.id).execute()).toEqual([]);
		expect(await t.db.selectFrom('outbox_message').select(['to_address', 'body_text']).where('subject', '=', 'Welcome').execute()).toEqual([
			{ to_address: `former-staff-${gone.id}@anonymised.invalid`, body_text: null }
		]);
		const names = (await t.db.selectFrom('app_user').select('name').where('id', 'in', [recent.id, active.id]).orderBy('name').execute()).map((r) => r.name);
		expect(names).toEqual(['Recently Left', 'Still Here']);
		expect(await auditEvents(t.db, 'user.anonymised')).toMatchObject([{ entity_id: gone.id, detail: { by: 'retention', afterDays: 90 } }]);
		expect(JSON.stringify(await t.db.selectFrom('app_user').selectAll().execute())).not.toMatch(/Perpetua|perpetua/);
	});

	it('reads STAFF_RETENTION_DAYS: 365 unless set, and a wrong value is an error naming it', () => {
		expect(deactivatedUserRetentionDays({})).toBe(365);
		expect(deactivatedUserRetentionDays({ STAFF_RETENTION_DAYS: ' 30 ' })).toBe(30);
		for (const value of ['0', '3651', 'a year', '-5'])
			expect(() => deactivatedUserRetentionDays({ STAFF_RETENTION_DAYS: value })).toThrow(/STAFF_RETENTION_DAYS/);
	});
});

import { describe, expect, it, vi } from 'vitest';
import { insertOutboxMessage } from '../../../src/lib/server/email/outbox.queries';
import { readOutbox } from '../../../src/lib/server/email/outbox.service';
import { MAX_ATTEMPTS } from '../../../src/lib/server/email/sender';
import { useTestDatabase } from '../../support/database';
import { makeActor } from '../../support/factories';

// What admins see of the mail server's refusals, and what they never see.

vi.stubEnv('SMTP_URL', 'smtp://mail.example.invalid:2525');
const t = useTestDatabase();
const later = new Date('2030-05-01T08:30:00Z');

describe('readOutbox', () => {
	it('shows each email’s tries, last error and next try, and counts those not getting through', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		await insertOutboxMessage(t.db, {
			to_address: 'retrying@example.org',
			subject: 'Booking confirmed',
			body_text: 'See https://tracker.example.org/bookings/1',
			status: 'queued',
			attempts: 3,
			error: '421 4.7.0 Try again later',
			next_attempt_at: later
		});
		await insertOutboxMessage(t.db, {
			to_address: 'given-up@example.org',
			subject: 'Reminder',
			body_text: null,
			status: 'failed',
			attempts: MAX_ATTEMPTS,
			error: '550 No such user'
		});
		await insertOutboxMessage(t.db, { to_address: 'waiting@example.org', subject: 'Booking changed', body_text: 'Text', status: 'queued' });

		const outbox = await readOutbox(t.db, admin, 1);

		expect(outbox.counts).toMatchObject({ queued: 2, failed: 1, retrying: 1 });
		expect(outbox.maxAttempts).toBe(MAX_ATTEMPTS);
		expect(outbox.smtpConfigured).toBe(true);
		const byAddress = new Map(outbox.messages.map((m) => [m.to_address, m]));
		expect(byAddress.get('retrying@example.org')).toMatchObject({ status: 'queued', attempts: 3, error: '421 4.7.0 Try again later', next_attempt_at: later });
		expect(byAddress.get('given-up@example.org')).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, error: '550 No such user' });
	});

	it('never gives the text of an email waiting to be sent: it may hold someone’s sign-in link', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		await insertOutboxMessage(t.db, {
			to_address: 'someone@example.org',
			subject: 'Reset',
			body_text: 'https://tracker.example.org/reset-password/secret',
			status: 'queued'
		});
		await insertOutboxMessage(t.db, { to_address: 'kept@example.org', subject: 'Kept', body_text: 'Kept text', status: 'kept' });

		const outbox = await readOutbox(t.db, admin, 1);

		expect(outbox.messages.find((m) => m.to_address === 'someone@example.org')?.body_text).toBeNull();
		expect(outbox.messages.find((m) => m.to_address === 'kept@example.org')?.body_text).toBe('Kept text');
	});

	it('answers anyone but an admin with a 404', async () => {
		const lead = await makeActor(t.db, { role: 'lead' });
		await expect(readOutbox(t.db, lead, 1)).rejects.toMatchObject({ status: 404 });
	});
});

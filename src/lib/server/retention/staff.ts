import { withTransaction, type Db } from '../db';
import { insertAuditEvents } from '../audit/audit.queries';
import { deleteExpiredSessions, deleteExpiredTokens, deleteSessionsOfUsers } from '../auth/auth.queries';
import { deleteExpiredRememberedDevices, deleteSecondFactorsOfUsers } from '../auth/second-factor.queries';
import { dropOldBodies, readdressMessages } from '../email/outbox.queries';
import { anonymisedUser, anonymiseUsers, listUsersDeactivatedBefore } from '../users/users.queries';

// Staff accounts and sign-in records over their lifetime, in the nightly retention run:
// sessions, one-time links (invitations, password resets) and remembered devices are deleted
// once expired (they were refused already); an email's text goes 30 days after it was written
// (it may hold a link or a name); and an account deactivated for STAFF_RETENTION_DAYS
// loses its name, address and secrets. Its id stays, so the registers and audit rows it wrote
// keep an author ("Former member of staff").

const DAY_MS = 86_400_000;
export const OUTBOX_BODY_DAYS = 30;

/** STAFF_RETENTION_DAYS: days after deactivation before an account is anonymised; 365 unless set (1 to 3650). */
export function deactivatedUserRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
	const text = env.STAFF_RETENTION_DAYS?.trim() || '365';
	const days = Number(text);
	if (!/^\d{1,4}$/.test(text) || days < 1 || days > 3650) {
		throw new Error(`STAFF_RETENTION_DAYS must be a whole number of days from 1 to 3650, not "${text}"`);
	}
	return days;
}

export interface StaffRetention {
	sessions: number;
	links: number;
	devices: number;
	emailTexts: number;
	accountsAnonymised: number;
}

export async function runStaffRetention(db: Db, now: Date, env: NodeJS.ProcessEnv = process.env): Promise<StaffRetention> {
	const days = deactivatedUserRetentionDays(env);
	return withTransaction(db, async (trx) => {
		const sessions = await deleteExpiredSessions(trx, now);
		const links = await deleteExpiredTokens(trx, now);
		const devices = await deleteExpiredRememberedDevices(trx, now);
		const emailTexts = await dropOldBodies(trx, new Date(now.getTime() - OUTBOX_BODY_DAYS * DAY_MS));
		const accounts = await listUsersDeactivatedBefore(trx, new Date(now.getTime() - days * DAY_MS));
		const ids = accounts.map((a) => a.id);
		for (const account of accounts) await readdressMessages(trx, account.email, anonymisedUser(account.id).email);
		await deleteSessionsOfUsers(trx, ids);
		await deleteSecondFactorsOfUsers(trx, ids);
		await anonymiseUsers(trx, ids, now);
		await insertAuditEvents(
			trx,
			ids.map((id) => ({ actorId: null, action: 'user.anonymised', entityType: 'user', entityId: id, detail: { by: 'retention', afterDays: days } }))
		);
		return { sessions, links, devices, emailTexts, accountsAnonymised: ids.length };
	});
}

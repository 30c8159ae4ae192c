import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { issueUserToken } from '../auth/user-tokens';
import { emailProblem } from '../forms';
import { findUserByEmail, insertUser } from './users.queries';

/**
 * Makes an admin from the command line, for the first sign-in of a real deployment, and returns
 * a one-time link (valid 7 days) to set the password. An existing invited admin gets a new link.
 */
export async function createAdminFromCommandLine(db: Db, email: string, name: string, origin: string): Promise<string> {
	const problem = emailProblem(email);
	if (problem) throw new Error(problem);
	const existing = await findUserByEmail(db, email);
	if (existing && (existing.role !== 'admin' || existing.status !== 'invited')) {
		throw new Error(`${email} already has an account (${existing.role}, ${existing.status})`);
	}
	const token = await withTransaction(db, async (trx) => {
		const id = existing?.id ?? (await insertUser(trx, { email, name, role: 'admin', schoolId: null, status: 'invited' })).id;
		await insertAuditEvent(trx, {
			actorId: null,
			action: 'user.invited',
			entityType: 'user',
			entityId: id,
			detail: { role: 'admin', via: 'command line' }
		});
		return issueUserToken(trx, id, 'invitation');
	});
	return `${origin}/invitation/${token}`;
}

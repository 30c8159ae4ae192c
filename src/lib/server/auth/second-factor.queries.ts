import type { Db } from '../db';

// Recovery codes and remembered devices. Both are stored by hash only (auth/totp.ts,
// auth/tokens.ts); these functions take the hash. The key itself is on app_user
// (users/users.queries.ts).

export async function insertRecoveryCodes(db: Db, userId: string, hashes: string[]) {
	await db
		.insertInto('second_factor_recovery_code')
		.values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
		.execute();
}

export async function deleteRecoveryCodes(db: Db, userId: string) {
	await db.deleteFrom('second_factor_recovery_code').where('user_id', '=', userId).execute();
}

/** Uses up an unused recovery code: false when there is no such code, or it was used already. */
export async function updateRecoveryCodeUsed(db: Db, userId: string, hash: string, now = new Date()): Promise<boolean> {
	const row = await db
		.updateTable('second_factor_recovery_code')
		.set({ used_at: now })
		.where('user_id', '=', userId)
		.where('code_hash', '=', hash)
		.where('used_at', 'is', null)
		.returning('id')
		.executeTakeFirst();
	return Boolean(row);
}

export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
	const row = await db
		.selectFrom('second_factor_recovery_code')
		.select((eb) => eb.fn.countAll<string>().as('n'))
		.where('user_id', '=', userId)
		.where('used_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function insertRememberedDevice(db: Db, device: { id: string; userId: string; expiresAt: Date }) {
	await db.insertInto('remembered_device').values({ id: device.id, user_id: device.userId, expires_at: device.expiresAt }).execute();
}

/** A remembered device of this user that has not expired. */
export async function findRememberedDevice(db: Db, id: string, userId: string, now: Date) {
	return db
		.selectFrom('remembered_device')
		.select(['id', 'expires_at'])
		.where('id', '=', id)
		.where('user_id', '=', userId)
		.where('expires_at', '>', now)
		.executeTakeFirst();
}

export async function deleteRememberedDevices(db: Db, userId: string) {
	await db.deleteFrom('remembered_device').where('user_id', '=', userId).execute();
}

/** Remembered devices past their expiry. Returns how many. */
export async function deleteExpiredRememberedDevices(db: Db, now: Date): Promise<number> {
	const result = await db.deleteFrom('remembered_device').where('expires_at', '<=', now).executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Every second-factor record of these users (anonymised accounts): recovery codes and remembered devices. */
export async function deleteSecondFactorsOfUsers(db: Db, userIds: readonly string[]) {
	if (userIds.length === 0) return;
	await db.deleteFrom('second_factor_recovery_code').where('user_id', 'in', userIds).execute();
	await db.deleteFrom('remembered_device').where('user_id', 'in', userIds).execute();
}

import { sql } from 'kysely';
import type { Db } from '../db';
import type { Role, UserStatus } from '../db/schema';

const publicColumns = [
	'app_user.id',
	'app_user.email',
	'app_user.name',
	'app_user.totp_enabled_at',
	'app_user.role',
	'app_user.school_id',
	'app_user.status',
	'app_user.created_at'
] as const;

export async function findUserByEmail(db: Db, email: string) {
	return db
		.selectFrom('app_user')
		.select([...publicColumns, 'app_user.password_hash'])
		.where('email', '=', email.trim().toLowerCase())
		.executeTakeFirst();
}

export async function findUserWithPassword(db: Db, id: string) {
	return db
		.selectFrom('app_user')
		.select([...publicColumns, 'app_user.password_hash'])
		.where('id', '=', id)
		.executeTakeFirst();
}

export async function findUser(db: Db, id: string) {
	return db
		.selectFrom('app_user')
		.leftJoin('school', 'school.id', 'app_user.school_id')
		.select([...publicColumns, 'school.name as school_name'])
		.where('app_user.id', '=', id)
		.executeTakeFirst();
}

/** A user's details as saved now, their row locked until the transaction ends: edits of them then queue behind each other. */
export async function lockUser(db: Db, id: string) {
	return db.selectFrom('app_user').select(['name', 'role', 'school_id', 'updated_at']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface UserFilter {
	search?: string;
	role?: Role;
	status?: UserStatus;
	schoolId?: string;
}

function usersMatching(db: Db, filter: UserFilter) {
	let query = db.selectFrom('app_user').leftJoin('school', 'school.id', 'app_user.school_id');
	if (filter.search) {
		const pattern = `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`;
		query = query.where((eb) =>
			eb.or([sql<boolean>`app_user.search_key like '%' || search_key(${filter.search}) || '%'`, eb('app_user.email', 'ilike', pattern)])
		);
	}
	if (filter.role) query = query.where('app_user.role', '=', filter.role);
	if (filter.status) query = query.where('app_user.status', '=', filter.status);
	if (filter.schoolId) query = query.where('app_user.school_id', '=', filter.schoolId);
	return query;
}

/** The users matching the filter by name; a page of them when given one. */
export async function listUsers(db: Db, filter: UserFilter = {}, page?: { limit: number; offset: number }) {
	const query = usersMatching(db, filter)
		.select([...publicColumns, 'school.name as school_name'])
		.orderBy('app_user.name')
		.orderBy('app_user.email');
	return (page ? query.limit(page.limit).offset(page.offset) : query).execute();
}

export async function countUsers(db: Db, filter: UserFilter = {}): Promise<number> {
	const row = await usersMatching(db, filter)
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function insertUser(
	db: Db,
	user: { email: string; name: string; role: Role; schoolId: string | null; status: UserStatus; passwordHash?: string }
) {
	return db
		.insertInto('app_user')
		.values({
			email: user.email.trim().toLowerCase(),
			name: user.name,
			role: user.role,
			school_id: user.schoolId,
			status: user.status,
			password_hash: user.passwordHash ?? null
		})
		.returning(['id'])
		.executeTakeFirstOrThrow();
}

export async function updateUser(
	db: Db,
	id: string,
	changes: { name?: string; role?: Role; school_id?: string | null; status?: UserStatus; password_hash?: string }
) {
	await db
		.updateTable('app_user')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

export async function countUsersByRoleAndStatus(db: Db) {
	return db
		.selectFrom('app_user')
		.select(['role', 'status', (eb) => eb.fn.countAll<number>().as('count')])
		.groupBy(['role', 'status'])
		.execute();
}

/** The second factor's key and the last step a code was accepted for. */
export async function findUserSecondFactor(db: Db, id: string) {
	return db.selectFrom('app_user').select(['id', 'totp_secret', 'totp_enabled_at', 'totp_last_step']).where('id', '=', id).executeTakeFirst();
}

/** Sets (or, with null, clears) a user's second-factor key. */
export async function updateUserSecondFactor(db: Db, id: string, secondFactor: { secret: string; step: number } | null, now = new Date()) {
	await db
		.updateTable('app_user')
		.set({
			totp_secret: secondFactor?.secret ?? null,
			totp_enabled_at: secondFactor ? now : null,
			totp_last_step: secondFactor?.step ?? null,
			updated_at: now
		})
		.where('id', '=', id)
		.execute();
}

/**
 * Records that a code of this step was accepted, if no code of this step or a later one was:
 * false when one was, so two sign-ins racing with the same code cannot both succeed.
 */
export async function updateTotpStepIfNewer(db: Db, id: string, step: number): Promise<boolean> {
	const row = await db
		.updateTable('app_user')
		.set({ totp_last_step: step })
		.where('id', '=', id)
		.where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
		.returning('id')
		.executeTakeFirst();
	return Boolean(row);
}

/** Accounts deactivated (and not changed since) before `before`, not yet anonymised. */
export async function listUsersDeactivatedBefore(db: Db, before: Date) {
	return db
		.selectFrom('app_user')
		.select(['id', 'email'])
		.where('status', '=', 'deactivated')
		.where('anonymised_at', 'is', null)
		.where('updated_at', '<', before)
		.orderBy('updated_at')
		.execute();
}

/** What an anonymised account is called, and its address (which can never receive mail: .invalid). */
export const anonymisedUser = (id: string) => ({ name: 'Former member of staff', email: `former-staff-${id}@anonymised.invalid` });

/** Removes the names, addresses and secrets of these deactivated accounts; their ids stay, so what they recorded keeps its author. */
export async function anonymiseUsers(db: Db, ids: readonly string[], now: Date) {
	for (const id of ids) {
		await db
			.updateTable('app_user')
			.set({ ...anonymisedUser(id), password_hash: null, totp_secret: null, totp_enabled_at: null, totp_last_step: null, anonymised_at: now, updated_at: now })
			.where('id', '=', id)
			.where('status', '=', 'deactivated')
			.execute();
	}
}

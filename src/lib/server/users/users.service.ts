import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseUsers, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { deleteUnusedTokens, deleteUserSessions } from '../auth/auth.queries';
import { issueUserToken } from '../auth/user-tokens';
import { queueEmail } from '../email/email';
import { hasErrors, invalid, invalidField, ok, refused, type FieldErrors, type Result } from '../result';
import { findSchool, listSchools } from '../schools/schools.queries';
import { roleLabels, type UserInput } from './users.schema';
import type { Role } from '../db/schema';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import * as queries from './users.queries';
import { pageOf, pagingForPage } from '../paging';

const target = (entityId?: string) => ({ entityType: 'user', entityId });

export async function listUsers(db: Db, actor: Actor, filter: queries.UserFilter) {
	await authoriseUsers(db, actor);
	return queries.listUsers(db, filter);
}

/** A page of the users list (see paging.ts): past the end, the last page. */
export async function listUsersPage(db: Db, actor: Actor, filter: queries.UserFilter, page: number) {
	await authoriseUsers(db, actor);
	const paging = pageOf(page, await queries.countUsers(db, filter));
	return { users: await queries.listUsers(db, filter, paging), paging: pagingForPage(paging) };
}

export async function getUser(db: Db, actor: Actor, id: string) {
	await authoriseUsers(db, actor, id);
	const user = await queries.findUser(db, id);
	return user ?? refuse(db, actor, target(id));
}

async function schoolProblem(db: Db, input: UserInput): Promise<FieldErrors> {
	if (input.schoolId === null) return {};
	const school = await findSchool(db, input.schoolId);
	return school?.active ? {} : { schoolId: 'Select the school they work at' };
}

function invitationEmail(name: string, role: string, origin: string, token: string) {
	return (
		`Hello ${name},\n\nYou have been invited to the Youth Programmes Tracker of the Dover District ` +
		`Safer Stronger Communities Partnership as a ${role.toLowerCase()}.\n\n` +
		`To choose your password and sign in, open this link within 7 days:\n${origin}/invitation/${token}\n\n` +
		'If you were not expecting this, you can ignore this email.\n\n' +
		'Dover District Safer Stronger Communities Partnership'
	);
}

/** The invite form's choices: the active schools a contact may belong to. Admins only. */
export async function inviteChoices(db: Db, actor: Actor): Promise<{ schools: { id: string; name: string }[] }> {
	await authoriseUsers(db, actor);
	return { schools: (await listSchools(db)).map((s) => ({ id: s.id, name: s.name })) };
}

/** Creates an invited account and, with it, an email of a one-time link, valid 7 days, to set a password. */
export async function inviteUser(db: Db, actor: Actor, input: UserInput, origin: string): Promise<Result<{ userId: string }>> {
	await authoriseUsers(db, actor);
	if (await queries.findUserByEmail(db, input.email)) {
		return invalidField('email', 'A user with this email address already exists');
	}
	const errors = await schoolProblem(db, input);
	if (hasErrors(errors)) return invalid(errors);
	const userId = await withTransaction(db, async (trx) => {
		const { id } = await queries.insertUser(trx, { ...input, status: 'invited' });
		const token = await issueUserToken(trx, id, 'invitation');
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'user.invited',
			entityType: 'user',
			entityId: id,
			detail: { role: input.role, schoolId: input.schoolId },
			address: actor.address
		});
		await queueEmail(trx, {
			to: input.email,
			subject: 'You are invited to the Youth Programmes Tracker',
			text: invitationEmail(input.name, roleLabels[input.role], origin, token)
		});
		return id;
	});
	return ok({ userId });
}

/** Sends a fresh invitation link; the earlier one stops working. */
export async function resendInvitation(db: Db, actor: Actor, id: string, origin: string): Promise<void> {
	const user = await getUser(db, actor, id);
	if (user.status !== 'invited') return;
	await withTransaction(db, async (trx) => {
		const token = await issueUserToken(trx, id, 'invitation');
		await insertAuditEvent(trx, { actorId: actor.id, action: 'user.invitation_resent', ...target(id), address: actor.address });
		await queueEmail(trx, {
			to: user.email,
			subject: 'You are invited to the Youth Programmes Tracker',
			text: invitationEmail(user.name, roleLabels[user.role], origin, token)
		});
	});
}

/**
 * Saves a user's name, role and school from the form on their page, opened on version `basedOn`
 * (see edit-versions.ts): if someone else has saved them since, nothing is saved.
 */
export async function updateUserDetails(db: Db, actor: Actor, id: string, input: UserInput, basedOn = ''): Promise<Result> {
	const user = await getUser(db, actor, id);
	if (user.id === actor.id && input.role !== 'admin') {
		return invalidField('role', 'You cannot remove your own admin role');
	}
	const errors = await schoolProblem(db, input);
	if (hasErrors(errors)) return invalid(errors);
	return withTransaction(db, async (trx) => {
		const saved = await queries.lockUser(trx, id);
		if (!saved) return { ok: false, code: 'not_found' } as const;
		const changed = (['name', 'role', 'schoolId'] as const).filter(
			(key) => input[key] !== { name: saved.name, role: saved.role, schoolId: saved.school_id }[key]
		);
		if (changed.length === 0) return ok();
		const shown = { mine: await shownUser(trx, { ...input, school_id: input.schoolId }), saved: await shownUser(trx, saved) };
		// Only a school contact has a school: the form still shows the one chosen for anyone else, so
		// theirs is not set against what is saved.
		if (input.role !== 'school') shown.mine.schoolId = shown.saved.schoolId!;
		const stale = staleEdit({
			noun: 'This user',
			basedOn,
			...shown,
			labels: { name: 'Full name', role: 'Role', schoolId: 'School' },
			savedAt: saved.updated_at
		});
		if (stale) return stale;
		await queries.updateUser(trx, id, { name: input.name, role: input.role, school_id: input.schoolId });
		// A new role or school changes what the user may see: make them sign in again.
		if (changed.includes('role') || changed.includes('schoolId')) await deleteUserSessions(trx, id);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'user.updated',
			...target(id),
			detail: { fields: changed },
			address: actor.address
		});
		return ok();
	});
}

/** The version of a user's details the form on their page is opened on (see edit-versions.ts). */
export async function userFormVersion(db: Db, user: ShownUser): Promise<string> {
	return versionOf(await shownUser(db, user));
}

type ShownUser = { name: string; role: Role; school_id: string | null };

/** A user's details as the form on their page shows them: the role by its label, the school by name. */
async function shownUser(db: Db, user: ShownUser): Promise<ShownValues> {
	const school = user.school_id ? await findSchool(db, user.school_id) : undefined;
	return { name: user.name, role: roleLabels[user.role], schoolId: school?.name ?? '' };
}

/** Deactivating ends the user's sessions at once and cancels any unused links. */
export async function deactivateUser(db: Db, actor: Actor, id: string): Promise<Result> {
	const user = await getUser(db, actor, id);
	if (user.id === actor.id) return refused('own_account', 'You cannot deactivate your own account');
	if (user.status === 'deactivated') return ok();
	await withTransaction(db, async (trx) => {
		await queries.updateUser(trx, id, { status: 'deactivated' });
		await deleteUserSessions(trx, id);
		await deleteUnusedTokens(trx, id);
		await insertAuditEvent(trx, { actorId: actor.id, action: 'user.deactivated', ...target(id), address: actor.address });
	});
	return ok();
}

export async function reactivateUser(db: Db, actor: Actor, id: string): Promise<void> {
	const user = await getUser(db, actor, id);
	if (user.status !== 'deactivated') return;
	const withPassword = await queries.findUserWithPassword(db, id);
	await withTransaction(db, async (trx) => {
		await queries.updateUser(trx, id, { status: withPassword?.password_hash ? 'active' : 'invited' });
		await insertAuditEvent(trx, { actorId: actor.id, action: 'user.reactivated', ...target(id), address: actor.address });
	});
}

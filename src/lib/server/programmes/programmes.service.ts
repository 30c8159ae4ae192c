import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseProgramme, mayManageProgramme, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { hasErrors, invalid, ok, type Result } from '../result';
import { reportFiguresChanged } from '../reports/rollups';
import { listUsers } from '../users/users.queries';
import { validateProgramme, type ProgrammeInput, type ProgrammeValues } from './programmes.schema';
import type { Programme as ProgrammeRow } from '../db/schema';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import { shapeNames } from '../../programmes';
import { describeYearGroups } from '../../year-groups';
import * as queries from './programmes.queries';

const target = (entityId?: string) => ({ entityType: 'programme', entityId });

/** Admins see every programme; leads the ones they lead; school contacts the active ones. */
export async function listProgrammes(db: Db, actor: Actor) {
	await authoriseProgramme(db, actor, 'list');
	if (actor.role === 'lead') return queries.listProgrammes(db, { leadId: actor.id });
	return queries.listProgrammes(db, { activeOnly: actor.role === 'school' });
}

/** The programmes page: the programmes the actor manages (every one for admins). */
export async function listManagedProgrammes(db: Db, actor: Actor) {
	await authoriseProgramme(db, actor, 'list_managed');
	return listProgrammes(db, actor);
}

/** Whether the actor may manage this programme's sessions and bookings (the rule is in auth/policy.ts). */
export async function canManageProgramme(db: Db, actor: Actor, programmeId: string): Promise<boolean> {
	return mayManageProgramme(db, actor, programmeId);
}

/** A programme its admin or lead may manage; anyone else, or an unknown id, gets a 404. */
export async function getManagedProgramme(db: Db, actor: Actor, id: string) {
	await authoriseProgramme(db, actor, 'manage', id);
	return (await queries.findProgramme(db, id)) ?? refuse(db, actor, target(id));
}

/** A programme for its edit form: admins only. */
export async function getProgrammeForEditing(db: Db, actor: Actor, id: string) {
	await authoriseProgramme(db, actor, 'edit', id);
	return getManagedProgramme(db, actor, id);
}

export async function getProgrammeLeads(db: Db, actor: Actor, id: string) {
	await getManagedProgramme(db, actor, id);
	return queries.listLeadIds(db, id);
}

/** Users who can be chosen as leads: active or invited programme leads. */
export async function listLeadCandidates(db: Db, actor: Actor) {
	await authoriseProgramme(db, actor, 'edit');
	const leads = await listUsers(db, { role: 'lead' });
	return leads.filter((u) => u.status !== 'deactivated').map((u) => ({ id: u.id, name: u.name, email: u.email }));
}

/** A programme's form input as its table's columns. */
function programmeRow(input: ProgrammeInput) {
	return {
		name: input.name,
		shape: input.shape,
		description: input.description,
		partnership_priority: input.partnershipPriority,
		pcc_tags: input.pccTags,
		year_groups: input.yearGroups,
		register_kind: input.registerKind,
		...(input.retentionYears === undefined ? {} : { retention_years: input.retentionYears })
	};
}

async function check(db: Db, values: ProgrammeValues, exceptId?: string) {
	const { errors, input } = validateProgramme(values);
	const existing = errors.name ? undefined : await queries.findProgrammeByName(db, input.name);
	if (existing && existing.id !== exceptId) errors.name = 'A programme with this name already exists';
	if (!errors.leadIds && input.leadIds.length > 0) {
		const leads = new Set((await listUsers(db, { role: 'lead' })).map((u) => u.id));
		if (input.leadIds.some((id) => !leads.has(id))) errors.leadIds = 'Select leads from the list';
	}
	return { errors, input };
}

export async function createProgramme(db: Db, actor: Actor, values: ProgrammeValues): Promise<Result<{ id: string }>> {
	await authoriseProgramme(db, actor, 'create');
	const { errors, input } = await check(db, values);
	if (hasErrors(errors)) return invalid(errors);
	const id = await withTransaction(db, async (trx) => {
		const { id } = await queries.insertProgramme(trx, programmeRow(input));
		await queries.replaceLeads(trx, id, input.leadIds);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'programme.created',
			...target(id),
			detail: { leads: input.leadIds.length },
			address: actor.address
		});
		return id;
	});
	reportFiguresChanged({});
	return ok({ id });
}

/**
 * Saves a programme from its edit form, opened on version `basedOn` (see edit-versions.ts): if
 * someone else has saved the programme since, nothing is saved.
 */
export async function updateProgramme(db: Db, actor: Actor, id: string, values: ProgrammeValues, basedOn = ''): Promise<Result<{ id: string }>> {
	await getProgrammeForEditing(db, actor, id);
	const { errors, input } = await check(db, values, id);
	if (hasErrors(errors)) return invalid(errors);
	const result = await withTransaction(db, async (trx): Promise<Result> => {
		const saved = await queries.lockProgramme(trx, id);
		if (!saved) return { ok: false, code: 'not_found' };
		const leadNames = await namesOfLeads(trx);
		const stale = staleEdit({
			noun: 'This programme',
			basedOn,
			mine: shownProgramme({ ...programmeRow(input), retention_years: input.retentionYears ?? saved.retention_years }, input.leadIds, leadNames),
			saved: shownProgramme(saved, await queries.listLeadIds(trx, id), leadNames),
			labels: programmeLabels,
			savedAt: saved.updated_at
		});
		if (stale) return stale;
		// A changed retention period is said in the audit: it decides when young people's names go.
		const retention =
			input.retentionYears !== undefined && input.retentionYears !== saved.retention_years
				? { retentionYears: { from: saved.retention_years, to: input.retentionYears } }
				: {};
		await queries.updateProgramme(trx, id, programmeRow(input));
		await queries.replaceLeads(trx, id, input.leadIds);
		await insertAuditEvent(trx, { actorId: actor.id, action: 'programme.updated', ...target(id), detail: retention, address: actor.address });
		return ok();
	});
	if (!result.ok) return result;
	reportFiguresChanged({});
	return ok({ id });
}

/** The version of a programme its edit form is opened on (see edit-versions.ts). */
export async function programmeFormVersion(db: Db, programme: ShownProgramme & { id: string }): Promise<string> {
	return versionOf(shownProgramme(programme, await queries.listLeadIds(db, programme.id), await namesOfLeads(db)));
}

const namesOfLeads = async (db: Db) => new Map((await listUsers(db, { role: 'lead' })).map((u) => [u.id, u.name]));

type ShownProgramme = Pick<
	ProgrammeRow,
	'name' | 'shape' | 'description' | 'partnership_priority' | 'pcc_tags' | 'year_groups' | 'register_kind' | 'retention_years'
>;

const programmeLabels = {
	name: 'Programme name',
	shape: 'Kind of programme',
	description: 'Description',
	partnershipPriority: 'Partnership priority',
	pccTags: 'Police and Crime Commissioner plan priorities',
	yearGroups: 'Who it is for',
	registerKind: 'How attendance is recorded',
	leadIds: 'Programme leads',
	retentionYears: 'Keep personal data for (years)'
};

/** A programme as its form shows it: choices by their labels, its leads by name. */
function shownProgramme(programme: ShownProgramme, leadIds: string[], leadNames: Map<string, string>): ShownValues {
	return {
		name: programme.name,
		shape: shapeNames[programme.shape],
		description: programme.description,
		partnershipPriority: programme.partnership_priority,
		pccTags: programme.pcc_tags.join(', '),
		yearGroups: describeYearGroups(programme.year_groups),
		registerKind: programme.register_kind === 'named' ? 'Named register' : 'Headcount only',
		leadIds: leadIds
			.map((leadId) => leadNames.get(leadId) ?? 'a former lead')
			.sort((a, b) => a.localeCompare(b, 'en-GB'))
			.join(', '),
		retentionYears: String(programme.retention_years)
	};
}

export async function setProgrammeActive(db: Db, actor: Actor, id: string, active: boolean): Promise<void> {
	await getProgrammeForEditing(db, actor, id);
	await withTransaction(db, async (trx) => {
		await queries.updateProgramme(trx, id, { active });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: active ? 'programme.reactivated' : 'programme.deactivated',
			...target(id),
			address: actor.address
		});
	});
	reportFiguresChanged({});
}

import { sql } from 'kysely';
import type { Db } from '../db';
import type { Insertable, Updateable } from 'kysely';
import type { ProgrammeTable } from '../db/schema';

const columns = [
	'programme.id',
	'programme.name',
	'programme.shape',
	'programme.description',
	'programme.partnership_priority',
	'programme.pcc_tags',
	'programme.year_groups',
	'programme.register_kind',
	'programme.active',
	'programme.retention_years',
	'programme.updated_at'
] as const;

/** A programme as saved now, its row locked until the transaction ends: its edits then queue behind each other. */
export async function lockProgramme(db: Db, id: string) {
	return db.selectFrom('programme').select(columns).where('programme.id', '=', id).forUpdate().executeTakeFirst();
}

export async function findProgramme(db: Db, id: string) {
	return db.selectFrom('programme').select(columns).where('programme.id', '=', id).executeTakeFirst();
}

/** Programmes, all of them or only those `leadId` leads, with their leads' names. */
export async function listProgrammes(db: Db, filter: { leadId?: string; activeOnly?: boolean } = {}) {
	let query = db
		.selectFrom('programme')
		.select(columns)
		.select(
			sql<string>`(select coalesce(string_agg(u.name, ', ' order by u.name), '') from programme_lead pl
				join app_user u on u.id = pl.user_id where pl.programme_id = programme.id)`.as('lead_names')
		);
	if (filter.leadId) {
		query = query.where(({ exists, selectFrom }) =>
			exists(
				selectFrom('programme_lead')
					.select('programme_lead.user_id')
					.whereRef('programme_lead.programme_id', '=', 'programme.id')
					.where('programme_lead.user_id', '=', filter.leadId!)
			)
		);
	}
	if (filter.activeOnly) query = query.where('programme.active', '=', true);
	return query.orderBy('programme.name').execute();
}

export async function isProgrammeLead(db: Db, programmeId: string, userId: string): Promise<boolean> {
	const row = await db.selectFrom('programme_lead').select('user_id').where('programme_id', '=', programmeId).where('user_id', '=', userId).executeTakeFirst();
	return Boolean(row);
}

export async function listLeadIds(db: Db, programmeId: string): Promise<string[]> {
	const rows = await db.selectFrom('programme_lead').select('user_id').where('programme_id', '=', programmeId).execute();
	return rows.map((r) => r.user_id);
}

export async function insertProgramme(db: Db, programme: Insertable<ProgrammeTable>) {
	return db.insertInto('programme').values(programme).returning('id').executeTakeFirstOrThrow();
}

export async function updateProgramme(db: Db, id: string, changes: Updateable<ProgrammeTable>) {
	await db
		.updateTable('programme')
		.set({ ...changes, updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

export async function replaceLeads(db: Db, programmeId: string, userIds: string[]) {
	await db.deleteFrom('programme_lead').where('programme_id', '=', programmeId).execute();
	if (userIds.length > 0) {
		await db
			.insertInto('programme_lead')
			.values(userIds.map((user_id) => ({ programme_id: programmeId, user_id })))
			.execute();
	}
}

export async function findProgrammeByName(db: Db, name: string) {
	return db
		.selectFrom('programme')
		.select('id')
		.where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
		.executeTakeFirst();
}

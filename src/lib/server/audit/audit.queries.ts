import { sql } from 'kysely';
import type { Db } from '../db';
import { UUID } from '../forms';

export interface AuditEntry {
	actorId: string | null;
	action: string;
	entityType?: string;
	/** A record's id. Anything else (text from a request that is not an id) is not kept: see entityIdOf. */
	entityId?: string;
	/** Identifiers and field names only: never a token, a password or a young person's name. */
	detail?: Record<string, unknown>;
	address?: string | null;
}

export async function insertAuditEvent(db: Db, entry: AuditEntry): Promise<void> {
	await insertAuditEvents(db, [entry]);
}

/**
 * Entity ids are record ids, validated here as the one place audit rows are written: text from a
 * request that is not a UUID (a mistyped or made-up address) is never stored as one.
 */
function entityIdOf(entityId: string | undefined): string | null {
	return entityId !== undefined && UUID.test(entityId) ? entityId.toLowerCase() : null;
}

/** Many events in one statement, for bulk changes such as imports. */
export async function insertAuditEvents(db: Db, entries: AuditEntry[]): Promise<void> {
	if (entries.length === 0) return;
	await db
		.insertInto('audit_event')
		.values(
			entries.map((entry) => ({
				actor_id: entry.actorId,
				action: entry.action,
				entity_type: entry.entityType ?? null,
				entity_id: entityIdOf(entry.entityId),
				detail: JSON.stringify(entry.detail ?? {}),
				address: entry.address ?? null
			}))
		)
		.execute();
}

export interface AuditFilter {
	actorId?: string;
	action?: string;
	from?: string; // YYYY-MM-DD, inclusive, in Europe/London
	to?: string; // YYYY-MM-DD, inclusive, in Europe/London
	limit: number;
	offset: number;
}

export async function listAuditEvents(db: Db, filter: AuditFilter) {
	let query = db
		.selectFrom('audit_event')
		.leftJoin('app_user', 'app_user.id', 'audit_event.actor_id')
		.select([
			'audit_event.id',
			'audit_event.at',
			'audit_event.action',
			'audit_event.entity_type',
			'audit_event.entity_id',
			'audit_event.detail',
			'audit_event.address',
			'app_user.email as actor_email'
		]);
	if (filter.actorId) query = query.where('audit_event.actor_id', '=', filter.actorId);
	if (filter.action) query = query.where('audit_event.action', '=', filter.action);
	// Dates are whole days in UK time: from its midnight to the next day's midnight there.
	if (filter.from) query = query.where(sql<boolean>`audit_event.at >= ${filter.from}::date::timestamp at time zone 'Europe/London'`);
	if (filter.to) query = query.where(sql<boolean>`audit_event.at < (${filter.to}::date + 1)::timestamp at time zone 'Europe/London'`);
	return query.orderBy('audit_event.id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export async function listAuditActions(db: Db): Promise<string[]> {
	const rows = await db.selectFrom('audit_event').select('action').distinct().orderBy('action').execute();
	return rows.map((r) => r.action);
}

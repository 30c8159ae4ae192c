import { sql } from 'kysely';
import type { Db } from '../db';
import { UUID } from '../forms';
import { formatDate } from '../../format';

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

export interface AuditRecordName {
	label: string;
	href: string | null;
}

/**
 * Names for the records a page of the audit log is about, read in one query per kind of
 * record: "Astor College", "Youth Conference, Wed 12 Jun 2019". Keyed `type:id`; a record
 * that no longer exists, or a kind the log does not name, is left out.
 */
export async function nameAuditRecords(db: Db, events: { entity_type: string | null; entity_id: string | null }[]) {
	const idsOf = (type: string) => [...new Set(events.filter((e) => e.entity_type === type && e.entity_id && UUID.test(e.entity_id)).map((e) => e.entity_id!))];
	const names = new Map<string, AuditRecordName>();
	const put = (type: string, id: string, label: string, href: string | null) => names.set(`${type}:${id}`, { label, href });

	const schools = idsOf('school');
	if (schools.length)
		for (const s of await db.selectFrom('school').select(['id', 'name']).where('id', 'in', schools).execute()) put('school', s.id, s.name, `/schools/${s.id}`);

	const users = idsOf('user');
	if (users.length)
		for (const u of await db.selectFrom('app_user').select(['id', 'name', 'email']).where('id', 'in', users).execute())
			put('user', u.id, u.email ? `${u.name} (${u.email})` : u.name, `/users/${u.id}`);

	const programmes = idsOf('programme');
	if (programmes.length)
		for (const p of await db.selectFrom('programme').select(['id', 'name']).where('id', 'in', programmes).execute())
			put('programme', p.id, p.name, `/programmes/${p.id}`);

	const sessions = idsOf('session');
	if (sessions.length)
		for (const s of await db
			.selectFrom('programme_session')
			.innerJoin('programme', 'programme.id', 'programme_session.programme_id')
			.select(['programme_session.id', 'programme.name', 'programme_session.starts_at'])
			.where('programme_session.id', 'in', sessions)
			.execute())
			put('session', s.id, `${s.name}, ${formatDate(s.starts_at)}`, `/sessions/${s.id}`);

	const bookings = idsOf('booking');
	if (bookings.length)
		for (const b of await db
			.selectFrom('booking')
			.innerJoin('school', 'school.id', 'booking.school_id')
			.innerJoin('programme_session', 'programme_session.id', 'booking.session_id')
			.innerJoin('programme', 'programme.id', 'programme_session.programme_id')
			.select(['booking.id', 'school.name as school', 'programme.name as programme', 'programme_session.starts_at'])
			.where('booking.id', 'in', bookings)
			.execute())
			put('booking', b.id, `${b.school}: ${b.programme}, ${formatDate(b.starts_at)}`, `/bookings/${b.id}`);

	const youngPeople = idsOf('young_person');
	if (youngPeople.length)
		for (const y of await db.selectFrom('young_person').select(['id', 'first_name', 'last_name']).where('id', 'in', youngPeople).execute())
			put('young_person', y.id, `${y.first_name} ${y.last_name}`.trim(), `/young-people/${y.id}`);

	const awardGroups = idsOf('award_group');
	if (awardGroups.length)
		for (const g of await db.selectFrom('award_group').select(['id', 'name', 'programme_id']).where('id', 'in', awardGroups).execute())
			put('award_group', g.id, g.name, `/programmes/${g.programme_id}/awards/${g.id}`);

	const stations = idsOf('station');
	if (stations.length)
		for (const s of await db.selectFrom('station').select(['id', 'name', 'session_id']).where('id', 'in', stations).execute())
			put('station', s.id, s.name, `/sessions/${s.session_id}/register/stations/${s.id}`);

	return names;
}

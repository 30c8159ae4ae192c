import { sql, type Insertable } from 'kysely';
import type { Db } from '../db';
import type { OutboxMessageTable, OutboxStatus } from '../db/schema';

/** A queued message is due at once: `next_attempt_at` defaults to the database's now(). */
export async function insertOutboxMessage(db: Db, message: Insertable<OutboxMessageTable>): Promise<void> {
	await db
		.insertInto('outbox_message')
		.values({ ...message, ...(message.status === 'queued' && !message.next_attempt_at ? { next_attempt_at: sql<Date>`now()` } : {}) })
		.execute();
}

/** Messages newest first (of one status, if given), a page at a time. Only a kept message's text is read: a queued one may hold someone's sign-in link. */
export async function listOutboxMessages(db: Db, limit: number, offset: number, status?: OutboxStatus) {
	let query = db.selectFrom('outbox_message');
	if (status) query = query.where('status', '=', status);
	return query
		.select(['id', 'created_at', 'to_address', 'subject', 'status', 'error', 'attempts', 'next_attempt_at', 'sent_at'])
		.select(sql<string | null>`case when status = 'kept' then body_text end`.as('body_text'))
		.orderBy('created_at', 'desc')
		.orderBy('id')
		.limit(limit)
		.offset(offset)
		.execute();
}

/** How many messages there are of each status, and how many queued ones have been refused at least once. */
export async function countOutboxByStatus(db: Db): Promise<Record<OutboxStatus | 'retrying', number>> {
	const rows = await db
		.selectFrom('outbox_message')
		.select(['status', sql<number>`count(*)::int`.as('count'), sql<number>`(count(*) filter (where error is not null))::int`.as('refused')])
		.groupBy('status')
		.execute();
	const counts = { queued: 0, kept: 0, sent: 0, failed: 0, retrying: 0 };
	for (const row of rows) counts[row.status] = row.count;
	counts.retrying = rows.find((row) => row.status === 'queued')?.refused ?? 0;
	return counts;
}

export interface ClaimedMessage {
	id: string;
	to_address: string;
	subject: string;
	body_text: string | null;
	attempts: number;
}

/**
 * Claims up to `limit` queued messages that are due at `now`, counting the try and moving their
 * next try to `leaseUntil`, in one statement, and returns them. `FOR UPDATE SKIP LOCKED` lets
 * two processes claim at once without waiting for each other or taking the same row: a row
 * another claim has just updated is rechecked against `next_attempt_at <= now` and left out.
 * If this process dies while sending, the message is due again when the lease ends.
 */
export async function claimDueOutboxMessages(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedMessage[]> {
	const due = db
		.selectFrom('outbox_message')
		.select('id')
		.where('status', '=', 'queued')
		.where('next_attempt_at', '<=', now)
		.orderBy('next_attempt_at')
		.orderBy('id')
		.limit(limit)
		.forUpdate()
		.skipLocked();
	return db
		.updateTable('outbox_message')
		.set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
		.where('id', 'in', due)
		.returning(['id', 'to_address', 'subject', 'body_text', 'attempts'])
		.execute();
}

/** Sent: the text goes (it may hold a sign-in link); who, what and when stay. */
export async function updateOutboxSent(db: Db, id: string, now: Date): Promise<void> {
	await db
		.updateTable('outbox_message')
		.set({ status: 'sent', body_text: null, error: null, next_attempt_at: null, sent_at: now })
		.where('id', '=', id)
		.where('status', '=', 'queued')
		.execute();
}

/** Not sent this time: tried again at `nextAttemptAt`. */
export async function updateOutboxRetry(db: Db, id: string, error: string, nextAttemptAt: Date): Promise<void> {
	await db.updateTable('outbox_message').set({ error, next_attempt_at: nextAttemptAt }).where('id', '=', id).where('status', '=', 'queued').execute();
}

/** Given up after its last try: the text goes, as for a sent message. */
export async function updateOutboxFailed(db: Db, id: string, error: string): Promise<void> {
	await db
		.updateTable('outbox_message')
		.set({ status: 'failed', body_text: null, error, next_attempt_at: null })
		.where('id', '=', id)
		.where('status', '=', 'queued')
		.execute();
}

/** Drops the text of messages older than `before` (it may hold links and names); the row stays, for the outbox's counts. Returns how many. */
export async function dropOldBodies(db: Db, before: Date): Promise<number> {
	const result = await db
		.updateTable('outbox_message')
		.set({ body_text: null })
		.where('created_at', '<', before)
		.where('body_text', 'is not', null)
		.where('status', '<>', 'queued')
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** Messages to an address that is being anonymised: readdressed, their text dropped. */
export async function readdressMessages(db: Db, from: string, to: string) {
	await db.updateTable('outbox_message').set({ to_address: to, body_text: null }).where('to_address', '=', from).execute();
}

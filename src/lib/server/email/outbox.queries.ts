import type { Insertable } from 'kysely';
import type { Db } from '../db';
import type { OutboxMessageTable } from '../db/schema';

export async function insertOutboxMessage(db: Db, message: Insertable<OutboxMessageTable>): Promise<void> {
	await db.insertInto('outbox_message').values(message).execute();
}

/** Messages newest first, a page at a time. */
export async function listOutboxMessages(db: Db, limit: number, offset: number) {
	return db
		.selectFrom('outbox_message')
		.select(['id', 'created_at', 'to_address', 'subject', 'body_text', 'status', 'error'])
		.orderBy('created_at', 'desc')
		.orderBy('id')
		.limit(limit)
		.offset(offset)
		.execute();
}

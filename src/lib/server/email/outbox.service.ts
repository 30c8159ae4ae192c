import type { Db } from '../db';
import { requireRole } from '../auth/access';
import type { Actor } from '../auth/session';
import { listOutboxMessages } from './outbox.queries';

const PAGE_SIZE = 25;

/** Admins read every message the app has sent or kept, newest first. */
export async function readOutbox(db: Db, actor: Actor, page: number) {
	await requireRole(db, actor, ['admin'], { entityType: 'outbox_message' });
	const messages = await listOutboxMessages(db, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
	return {
		messages: messages.slice(0, PAGE_SIZE),
		hasNext: messages.length > PAGE_SIZE,
		page,
		smtpConfigured: Boolean(process.env.SMTP_URL)
	};
}

import type { Db } from '../db';
import { requireRole } from '../auth/access';
import type { Actor } from '../auth/session';
import type { FieldErrors } from '../result';
import { UUID } from '../forms';
import { listUsers } from '../users/users.queries';
import { listAuditActions, listAuditEvents } from './audit.queries';

const PAGE_SIZE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
	return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** The audit log for admins, filtered by user, action and dates (inclusive, UK time). */
export async function browseAuditLog(db: Db, actor: Actor, query: Record<string, string>) {
	await requireRole(db, actor, ['admin'], { entityType: 'audit_event' });
	const errors: FieldErrors = {};
	const from = query.from ?? '';
	const to = query.to ?? '';
	if (from && !validDate(from)) errors.from = 'The "from" date must be a real date';
	if (to && !validDate(to)) errors.to = 'The "to" date must be a real date';
	if (!errors.from && !errors.to && from && to && from > to) errors.to = 'The "to" date must be the same as or after the "from" date';
	const page = Math.max(1, Number.parseInt(query.page ?? '', 10) || 1);
	const actorId = UUID.test(query.actor ?? '') ? query.actor : undefined;
	const action = query.action || undefined;
	const events = Object.keys(errors).length
		? []
		: await listAuditEvents(db, {
				actorId,
				action,
				from: from || undefined,
				to: to || undefined,
				limit: PAGE_SIZE + 1,
				offset: (page - 1) * PAGE_SIZE
			});
	return {
		events: events.slice(0, PAGE_SIZE),
		hasNext: events.length > PAGE_SIZE,
		page,
		filter: { actor: actorId ?? '', action: action ?? '', from, to },
		errors,
		users: (await listUsers(db)).map((u) => ({ id: u.id, label: `${u.name} (${u.email})` })),
		actions: await listAuditActions(db)
	};
}

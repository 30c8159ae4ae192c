import type { Db } from '../db';
import { authoriseAudit } from '../auth/policy';
import type { Actor } from '../auth/session';
import { hasErrors } from '../result';
import { listUsers } from '../users/users.queries';
import { listAuditActions, listAuditEvents, nameAuditRecords } from './audit.queries';
import { auditActionLabel, auditDetailText, auditRecordTypeLabel } from './audit.labels';
import { validateAuditQuery, type AuditQuery } from './audit.schema';

const PAGE_SIZE = 50;

/** The audit log for admins, filtered by user, action and dates (inclusive, UK time). */
export async function browseAuditLog(db: Db, actor: Actor, query: AuditQuery) {
	await authoriseAudit(db, actor);
	const { errors, page, actorId, action, from, to } = validateAuditQuery(query);
	const events = hasErrors(errors)
		? []
		: await listAuditEvents(db, {
				actorId,
				action,
				from: from || undefined,
				to: to || undefined,
				limit: PAGE_SIZE + 1,
				offset: (page - 1) * PAGE_SIZE
			});
	const shown = events.slice(0, PAGE_SIZE);
	const names = await nameAuditRecords(db, shown);
	return {
		events: shown.map((event) => ({
			...event,
			actionLabel: auditActionLabel(event.action),
			detailText: auditDetailText(event.detail as Record<string, unknown>),
			record: event.entity_type
				? (names.get(`${event.entity_type}:${event.entity_id}`) ?? {
						// A kind the log does not name, or a record since deleted: its kind and id, to trace it by.
						label: [auditRecordTypeLabel(event.entity_type), event.entity_id].filter(Boolean).join(' '),
						href: null
					})
				: null
		})),
		hasNext: events.length > PAGE_SIZE,
		page,
		filter: { actor: actorId ?? '', action: action ?? '', from, to },
		errors,
		users: (await listUsers(db)).map((u) => ({ id: u.id, label: `${u.name} (${u.email})` })),
		actions: (await listAuditActions(db))
			.map((action) => ({ value: action, label: auditActionLabel(action) }))
			.sort((a, b) => a.label.localeCompare(b.label, 'en-GB'))
	};
}

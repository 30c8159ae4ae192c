import type { FieldErrors } from '../result';
import { UUID } from '../forms';
import { pageFromParam } from '../paging';

/** The audit log's filter as it comes in the address: every field optional text. */
export type AuditQuery = Partial<Record<'actor' | 'action' | 'from' | 'to' | 'page', string>>;

export function auditQueryFromParams(params: URLSearchParams): AuditQuery {
	return Object.fromEntries(['actor', 'action', 'from', 'to', 'page'].map((k) => [k, params.get(k) ?? '']));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
	return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/**
 * The filter checked: dates must be real days with "to" not before "from"; an actor that is
 * not an id, a page that is not a number and an empty action are left out.
 */
export function validateAuditQuery(query: AuditQuery) {
	const errors: FieldErrors = {};
	const from = query.from ?? '';
	const to = query.to ?? '';
	if (from && !validDate(from)) errors.from = 'The "from" date must be a real date';
	if (to && !validDate(to)) errors.to = 'The "to" date must be a real date';
	if (!errors.from && !errors.to && from && to && from > to) errors.to = 'The "to" date must be the same as or after the "from" date';
	return {
		errors,
		page: pageFromParam(query.page),
		actorId: UUID.test(query.actor ?? '') ? query.actor : undefined,
		action: query.action || undefined,
		from,
		to
	};
}

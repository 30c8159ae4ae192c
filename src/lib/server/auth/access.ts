import type { Db } from '../db';
import type { Role } from '../db/schema';
import { insertAuditEvent } from '../audit/audit.queries';
import { listBookingsForSession } from '../bookings/bookings.queries';
import { findSchool } from '../schools/schools.queries';
import { phaseYearGroups } from '../../year-groups';
import { notFound } from '../result';
import type { Actor } from './session';

export interface Target {
	entityType: string;
	entityId?: string;
}

/** Audits a refused request and answers it as if the record did not exist. */
export async function refuse(db: Db, actor: Actor, target: Target): Promise<never> {
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'access.refused',
		entityType: target.entityType,
		entityId: target.entityId,
		detail: { role: actor.role },
		address: actor.address
	});
	notFound();
}

/** The first line of a service function: only these roles may go on; anyone else gets a 404. */
export async function requireRole(db: Db, actor: Actor, roles: readonly Role[], target: Target): Promise<void> {
	if (!roles.includes(actor.role)) await refuse(db, actor, target);
}

/** Whether the actor may see records of this school: admins, leads and viewers (in aggregate) all schools, contacts their own. */
export function canSeeSchool(actor: Actor, schoolId: string): boolean {
	return actor.role !== 'school' || actor.schoolId === schoolId;
}

/**
 * Whether a school contact may see a session, on its page and when asking to book it: it is
 * for a year group their school's phase teaches, or their school has booked it already.
 */
export async function schoolMaySeeSession(db: Db, actor: Actor, session: { id: string; year_groups: readonly string[] }): Promise<boolean> {
	if (actor.role !== 'school' || !actor.schoolId) return false;
	const school = await findSchool(db, actor.schoolId);
	if (!school) return false;
	const teaches: readonly string[] = phaseYearGroups[school.phase];
	if (session.year_groups.some((g) => teaches.includes(g))) return true;
	return (await listBookingsForSession(db, session.id, actor.schoolId)).length > 0;
}

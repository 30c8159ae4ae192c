import { withTransaction, type Db } from '../db';
import { insertAuditEvents, type AuditEntry } from '../audit/audit.queries';
import { authoriseRegister, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { attendanceStatuses, yearGroups, type AttendanceStatus, type RegisterKind, type YearGroup } from '../db/schema';
import { oneOf } from '../forms';
import { reportFiguresChanged } from '../reports/rollups';
import { ok, refused, type Failure, type Result } from '../result';
import { findSessionSummary } from '../sessions/sessions.queries';
import { lockSession } from '../sessions/sessions.queries';
import * as queries from './attendance.queries';

const target = (entityId?: string) => ({ entityType: 'session', entityId });

export const MAX_HEADCOUNT = 10_000;

/** A session whose attendance the actor may take: its programme's leads and admins; anyone else gets a 404. */
export async function getAttendanceSession(db: Db, actor: Actor, sessionId: string) {
	return authoriseRegister(db, actor, sessionId, await findSessionSummary(db, sessionId));
}

async function sessionOfKind(db: Db, actor: Actor, sessionId: string, kind: RegisterKind) {
	const session = await getAttendanceSession(db, actor, sessionId);
	return session.register_kind === kind ? session : refuse(db, actor, target(sessionId));
}

export interface RegisterSchool {
	schoolId: string;
	schoolName: string;
	people: { id: string; firstName: string; lastName: string; yearGroup: YearGroup | null; mark: AttendanceStatus | null }[];
}

/** A named session's register, school by school, each sorted by last name. */
export async function getRegister(db: Db, actor: Actor, sessionId: string) {
	const session = await sessionOfKind(db, actor, sessionId, 'named');
	const rows = await queries.listRegister(db, session);
	const schools: RegisterSchool[] = [];
	for (const row of rows) {
		let school = schools.at(-1);
		if (school?.schoolId !== row.school_id) {
			school = { schoolId: row.school_id, schoolName: row.school_name, people: [] };
			schools.push(school);
		}
		school.people.push({ id: row.id, firstName: row.first_name, lastName: row.last_name, yearGroup: row.year_group, mark: row.mark });
	}
	return { session, schools };
}

type Session = NonNullable<Awaited<ReturnType<typeof findSessionSummary>>>;

/** Why attendance cannot be taken at this session now (`cancelled`, `not_started`), if it cannot. */
export function timingRefusal(session: Pick<Session, 'status' | 'starts_at'>, now: Date): Failure | undefined {
	if (session.status === 'cancelled') return refused('cancelled', 'This session was cancelled: attendance cannot be recorded');
	if (now < session.starts_at) return refused('not_started', 'Attendance can be recorded once the session has started');
	return undefined;
}

/**
 * Saves a named register's marks at once: all of them or, if any is refused, none. Only marks
 * that are new or changed are audited, by young person id and never by name.
 */
export async function saveMarks(
	db: Db,
	actor: Actor,
	sessionId: string,
	marks: { youngPersonId: string; status: string }[],
	now = new Date()
): Promise<Result<{ saved: number; changed: number }>> {
	const session = await getAttendanceSession(db, actor, sessionId);
	if (session.register_kind !== 'named') {
		return refused('wrong_register_kind', 'This programme records a headcount, not named marks');
	}
	if (marks.some((m) => !oneOf(attendanceStatuses, m.status))) {
		return refused('unknown_status', 'Choose present, late, excused absence or unexcused absence');
	}
	const valid = marks as queries.MarkRow[];
	if (new Set(valid.map((m) => m.youngPersonId)).size !== valid.length) {
		return refused('duplicate', 'A young person was marked twice: save the register again');
	}
	const result = await withTransaction(db, async (trx) => {
		// Lock, then check, then write: two people saving at once queue, so each audit row's
		// "from" is the mark its change replaced.
		const locked = await lockSession(trx, sessionId);
		const refusal = timingRefusal(locked!, now);
		if (refusal) return refusal;
		const register = new Map((await queries.listRegister(trx, session)).map((r) => [r.id, r.mark]));
		if (valid.some((m) => !register.has(m.youngPersonId))) {
			return refused('not_on_register', 'Someone marked is not on this session’s register: reload the register and save again');
		}
		const audits: AuditEntry[] = [];
		for (const mark of valid) {
			const from = register.get(mark.youngPersonId) ?? null;
			if (from === mark.status) continue;
			audits.push({
				actorId: actor.id,
				action: from === null ? 'attendance.marked' : 'attendance.changed',
				entityType: 'young_person',
				entityId: mark.youngPersonId,
				detail: { sessionId, from, to: mark.status },
				address: actor.address
			});
		}
		await queries.upsertMarks(trx, sessionId, valid, actor.id, now);
		await insertAuditEvents(trx, audits);
		return ok({ saved: valid.length, changed: audits.length });
	});
	if (result.ok) reportFiguresChanged();
	return result;
}

/** "Mark everyone present": every young person on the register, present. */
export async function markEveryonePresent(db: Db, actor: Actor, sessionId: string, now = new Date()): Promise<Result<{ saved: number; changed: number }>> {
	const { schools } = await getRegister(db, actor, sessionId);
	const marks = schools.flatMap((s) => s.people.map((p) => ({ youngPersonId: p.id, status: 'present' })));
	return saveMarks(db, actor, sessionId, marks, now);
}

/** A headcount session's grid: each school and year group holding places, with the count saved. */
export async function getHeadcounts(db: Db, actor: Actor, sessionId: string) {
	const session = await sessionOfKind(db, actor, sessionId, 'headcount');
	return { session, counts: await queries.listHeadcounts(db, sessionId) };
}

/** Saves a headcount session's counts in one statement; changes are audited with counts only. */
export async function saveHeadcounts(
	db: Db,
	actor: Actor,
	sessionId: string,
	counts: { schoolId: string; yearGroup: string; count: number }[],
	now = new Date()
): Promise<Result<{ saved: number; changed: number }>> {
	const session = await getAttendanceSession(db, actor, sessionId);
	if (session.register_kind !== 'headcount') {
		return refused('wrong_register_kind', 'This programme takes a named register, not a headcount');
	}
	if (counts.some((c) => !Number.isInteger(c.count) || c.count < 0 || c.count > MAX_HEADCOUNT)) {
		return refused('invalid_count', `Enter each count as a whole number from 0 to ${MAX_HEADCOUNT.toLocaleString('en-GB')}`);
	}
	const key = (schoolId: string, yearGroup: string) => `${schoolId}/${yearGroup}`;
	if (new Set(counts.map((c) => key(c.schoolId, c.yearGroup))).size !== counts.length) {
		return refused('duplicate', 'A school and year group was counted twice: save the counts again');
	}
	const result = await withTransaction(db, async (trx) => {
		const locked = await lockSession(trx, sessionId);
		const refusal = timingRefusal(locked!, now);
		if (refusal) return refusal;
		const grid = new Map((await queries.listHeadcounts(trx, sessionId)).map((c) => [key(c.school_id, c.year_group), c.count]));
		if (counts.some((c) => !oneOf(yearGroups, c.yearGroup) || !grid.has(key(c.schoolId, c.yearGroup)))) {
			return refused('not_on_register', 'A school or year group counted has no places at this session: reload the page and save again');
		}
		const changed = counts.filter((c) => grid.get(key(c.schoolId, c.yearGroup)) !== c.count);
		await queries.upsertHeadcounts(trx, sessionId, counts as queries.CountRow[], actor.id, now);
		await insertAuditEvents(
			trx,
			changed.map((c) => {
				const from = grid.get(key(c.schoolId, c.yearGroup)) ?? null;
				return {
					actorId: actor.id,
					action: from === null ? 'attendance.counted' : 'attendance.count_changed',
					...target(sessionId),
					detail: { schoolId: c.schoolId, yearGroup: c.yearGroup, from, to: c.count },
					address: actor.address
				};
			})
		);
		return ok({ saved: counts.length, changed: changed.length });
	});
	if (result.ok) reportFiguresChanged();
	return result;
}

import { withTransaction, type Db } from '../db';
import { insertAuditEvent, insertAuditEvents, type AuditEntry } from '../audit/audit.queries';
import { defaultMarkLabels, type MarkLabels } from '../../attendance';
import { getManagedProgramme } from '../programmes/programmes.service';
import { labelField, validateMarkLabels, type MarkLabelValues } from './attendance.schema';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import { lockProgramme } from '../programmes/programmes.queries';
import { authoriseRegister, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { attendanceStatuses, type AttendanceStatus, type RegisterKind, type YearGroup } from '../db/schema';
import { oneOf } from '../forms';
import { reportFiguresChanged } from '../reports/rollups';
import { hasErrors, invalid, ok, refused, type Result } from '../result';
import { findSessionSummary } from '../sessions/sessions.queries';
import { lockSession } from '../sessions/sessions.queries';
import * as queries from './attendance.queries';
import { timingRefusal } from './taking-rules';
import { saveCountChanges, type CountChange, type CountConflict } from './count-conflicts';

const target = (entityId?: string) => ({ entityType: 'session', entityId });

/** A session whose attendance the actor may take: its programme's leads and admins; anyone else gets a 404. */
export async function getAttendanceSession(db: Db, actor: Actor, sessionId: string) {
	return authoriseRegister(db, actor, sessionId, await findSessionSummary(db, sessionId));
}

async function sessionOfKind(db: Db, actor: Actor, sessionId: string, kind: RegisterKind) {
	const session = await getAttendanceSession(db, actor, sessionId);
	return session.register_kind === kind ? session : refuse(db, actor, target(sessionId));
}

export interface RegisterPerson {
	id: string;
	firstName: string;
	lastName: string;
	yearGroup: YearGroup | null;
	mark: AttendanceStatus | null;
	/** The mark's version, null with no mark. */
	version: number | null;
}

export interface RegisterSchool {
	schoolId: string;
	schoolName: string;
	people: RegisterPerson[];
}

async function labelsOf(db: Db, programmeId: string): Promise<MarkLabels> {
	const rows = await queries.listStatusLabels(db, programmeId);
	return { ...defaultMarkLabels, ...Object.fromEntries(rows.map((r) => [r.status, r.label])) };
}

/** A named session's register, school by school, each sorted by last name, with what the programme calls each status. */
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
		school.people.push({ id: row.id, firstName: row.first_name, lastName: row.last_name, yearGroup: row.year_group, mark: row.mark, version: row.version });
	}
	return { session, schools, labels: await labelsOf(db, session.programme_id) };
}

/** What a programme calls each attendance status: its leads and admins. */
export async function getMarkLabels(db: Db, actor: Actor, programmeId: string): Promise<MarkLabels> {
	await getManagedProgramme(db, actor, programmeId);
	return labelsOf(db, programmeId);
}

/**
 * Renames the attendance statuses for a programme's registers (the figures count by status, not
 * by name). `basedOn` is the version of the names the form was opened on (markLabelsFormVersion;
 * '' for none): see edit-versions.ts.
 */
export async function saveMarkLabels(db: Db, actor: Actor, programmeId: string, values: MarkLabelValues, basedOn = ''): Promise<Result<{ id: string }>> {
	await getManagedProgramme(db, actor, programmeId);
	const { errors, input } = validateMarkLabels(values);
	if (hasErrors(errors)) return invalid(errors);
	return withTransaction(db, async (trx) => {
		// The programme's row is the names' lock: two saves of them queue, and the second is checked against the first.
		await lockProgramme(trx, programmeId);
		const stale = staleEdit({
			noun: 'This programme’s set of attendance names',
			basedOn,
			mine: shownLabels(input),
			saved: shownLabels(await labelsOf(trx, programmeId)),
			labels: Object.fromEntries(attendanceStatuses.map((status) => [labelField(status), defaultMarkLabels[status]]))
		});
		if (stale) return stale;
		await queries.upsertStatusLabels(trx, programmeId, input);
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'attendance.labels_renamed',
			entityType: 'programme',
			entityId: programmeId,
			address: actor.address
		});
		return ok({ id: programmeId });
	});
}

/** The names form's fields as it shows them, by the form's field names. */
const shownLabels = (labels: MarkLabels): ShownValues => Object.fromEntries(attendanceStatuses.map((status) => [labelField(status), labels[status]]));

/** The version of a programme's attendance names their form carries. */
export const markLabelsFormVersion = (labels: MarkLabels): string => versionOf(shownLabels(labels));

/** A change not saved because someone else changed the mark since the page was loaded: theirs, and what was to replace it. */
export interface MarkConflict {
	youngPersonId: string;
	firstName: string;
	lastName: string;
	theirs: AttendanceStatus;
	/** Who saved theirs, and when. */
	by: string | null;
	at: Date;
	/** The version of theirs: "use yours" is a change based on it. */
	version: number;
	yours: AttendanceStatus;
}

/** Refusals a save audits: the input could not have come from the register as it is. */
const auditedRefusals = new Set(['wrong_register_kind', 'unknown_status', 'bad_version', 'duplicate', 'not_on_register', 'future_version']);

/**
 * Saves a named register's changes in one transaction. Each change carries the version of the
 * mark it was based on (null when there was none): a mark someone else has changed since is
 * not overwritten but returned as a conflict, unless they chose the same; the other changes
 * are saved. A change that cannot be right (an unknown status, someone not on the register, a
 * version the mark never had) refuses the whole save, and the refusal is audited. Changes are
 * audited by young person id, never by name.
 */
export async function saveMarks(
	db: Db,
	actor: Actor,
	sessionId: string,
	changes: { youngPersonId: string; status: string; basedOn: number | null }[],
	now = new Date()
): Promise<Result<{ saved: number; changed: number; conflicts: MarkConflict[] }>> {
	const session = await getAttendanceSession(db, actor, sessionId);
	const result = await checkAndSave(db, actor, session, changes, now);
	if (!result.ok && result.code === 'refused' && auditedRefusals.has(result.reason)) {
		await insertAuditEvent(db, {
			actorId: actor.id,
			action: 'attendance.save_refused',
			...target(sessionId),
			detail: { reason: result.reason, changes: changes.length },
			address: actor.address
		});
	}
	if (result.ok && result.changed > 0) reportFiguresChanged({ sessions: [sessionId] });
	return result;
}

async function checkAndSave(
	db: Db,
	actor: Actor,
	session: Awaited<ReturnType<typeof getAttendanceSession>>,
	changes: { youngPersonId: string; status: string; basedOn: number | null }[],
	now: Date
): Promise<Result<{ saved: number; changed: number; conflicts: MarkConflict[] }>> {
	const sessionId = session.id;
	if (session.register_kind !== 'named') return refused('wrong_register_kind', 'This programme records a headcount, not named marks');
	if (changes.some((m) => !oneOf(attendanceStatuses, m.status))) {
		return refused('unknown_status', `Choose one of: ${Object.values(defaultMarkLabels).join(', ')}`);
	}
	if (changes.some((m) => m.basedOn !== null && !(Number.isInteger(m.basedOn) && m.basedOn >= 1))) {
		return refused('bad_version', 'The register was sent incomplete: reload it and make your changes again');
	}
	const valid = changes as (queries.MarkRow & { basedOn: number | null })[];
	if (new Set(valid.map((m) => m.youngPersonId)).size !== valid.length) {
		return refused('duplicate', 'A young person was marked twice: save the register again');
	}
	return withTransaction(db, async (trx) => {
		// Lock, then check, then write: two people saving at once queue, so each sees the
		// other's marks, and each audit row's "from" is the mark its change replaced.
		const locked = await lockSession(trx, sessionId);
		const refusal = timingRefusal(locked!, now);
		if (refusal) return refusal;
		const register = new Map((await queries.listRegister(trx, session)).map((r) => [r.id, r]));
		if (valid.some((m) => !register.has(m.youngPersonId))) {
			return refused('not_on_register', 'Someone marked is not on this session’s register: reload the register and make your changes again');
		}
		if (valid.some((m) => m.basedOn !== null && m.basedOn > (register.get(m.youngPersonId)!.version ?? 0))) {
			return refused('future_version', 'A mark was sent as changed from a version it never had: reload the register and make your changes again');
		}
		const audits: AuditEntry[] = [];
		const conflicts: MarkConflict[] = [];
		const writes: queries.MarkRow[] = [];
		for (const mark of valid) {
			const current = register.get(mark.youngPersonId)!;
			if (current.mark === mark.status) continue;
			if (current.version !== mark.basedOn) {
				conflicts.push({
					youngPersonId: current.id,
					firstName: current.first_name,
					lastName: current.last_name,
					theirs: current.mark!,
					by: current.recorded_by_name,
					at: current.recorded_at!,
					version: current.version!,
					yours: mark.status
				});
				continue;
			}
			writes.push(mark);
			audits.push({
				actorId: actor.id,
				action: current.mark === null ? 'attendance.marked' : 'attendance.changed',
				entityType: 'young_person',
				entityId: mark.youngPersonId,
				detail: { sessionId, from: current.mark, to: mark.status },
				address: actor.address
			});
		}
		await queries.upsertMarks(trx, sessionId, writes, actor.id, now);
		await insertAuditEvents(trx, audits);
		return ok({ saved: valid.length - conflicts.length, changed: audits.length, conflicts });
	});
}

/** A headcount session's grid: each school and year group holding places, with the count saved. */
export async function getHeadcounts(db: Db, actor: Actor, sessionId: string) {
	const session = await sessionOfKind(db, actor, sessionId, 'headcount');
	return { session, counts: await queries.listHeadcounts(db, sessionId) };
}

/**
 * Saves a headcount session's changed counts, each against the version it was based on
 * (count-conflicts.ts): a count someone else changed since comes back as a conflict, not
 * overwritten; anything that cannot be right refuses the whole save, audited.
 */
export async function saveHeadcounts(
	db: Db,
	actor: Actor,
	sessionId: string,
	changes: CountChange[],
	now = new Date()
): Promise<Result<{ saved: number; changed: number; conflicts: CountConflict[] }>> {
	await sessionOfKind(db, actor, sessionId, 'headcount');
	return saveCountChanges(db, actor, sessionId, { kind: 'headcount' }, changes, now);
}

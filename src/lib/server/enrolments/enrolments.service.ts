import { hasErrors, invalid, invalidField, ok, type FieldErrors, type Result } from '../result';
import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { enrolmentStages, type EnrolmentStage } from '../db/schema';
import { oneOf, UUID } from '../forms';
import { getManagedProgramme } from '../programmes/programmes.service';
import { isRealDate, londonParts } from '../time';
import { academicYearOf, yearGroupIn } from '../young-people/young-people.schema';
import { listSchoolChoices, requireSchoolList } from '../young-people/young-people.service';
import { reportFiguresChanged } from '../reports/rollups';
import * as queries from './enrolments.queries';
import { staleEdit, versionOf, type ShownValues } from '../edit-versions';
import { formatDay } from '../../format';
import { enrolmentStageLabels } from '../../young-people';
import { endingStages, rolesFor, startingStages, type EnrolValues, type StageValues } from './enrolments.schema';

// Enrolments of young people in a programme: only its leads and the admins, as for the rest
// of a programme. Audit rows carry ids, roles, stages and dates, never a young person's name.

const enrolment = (entityId?: string) => ({ entityType: 'enrolment', entityId: entityId && UUID.test(entityId) ? entityId : undefined });

function checkDate(value: string, label: string): string | undefined {
	if (value === '') return `Enter the ${label}`;
	if (!isRealDate(value) || value < '2000-01-01' || value > '2099-12-31') return `The ${label} must be a real date`;
	return undefined;
}

type EnrolmentRow = Awaited<ReturnType<typeof queries.listEnrolmentsOfProgramme>>[number];

function describe(row: EnrolmentRow, academicYear: number) {
	return { ...row, year_group: yearGroupIn(row.reception_year, academicYear) ?? null, archived: row.archived_at !== null };
}

/** A programme's enrolments school by school, at one stage or all, with how many there are at each stage. */
export async function getEnrolments(db: Db, actor: Actor, programmeId: string, filter: { stage?: string }, now: Date) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const stage = filter.stage && oneOf(enrolmentStages, filter.stage) ? filter.stage : undefined;
	const counts = Object.fromEntries(enrolmentStages.map((s) => [s, 0])) as Record<EnrolmentStage, number>;
	for (const row of await queries.countEnrolmentsByStage(db, programme.id)) counts[row.stage] = row.count;
	const academicYear = academicYearOf(now);
	const schools: { schoolId: string; schoolName: string; enrolments: ReturnType<typeof describe>[] }[] = [];
	for (const row of await queries.listEnrolmentsOfProgramme(db, programme.id, stage)) {
		let school = schools.at(-1);
		if (school?.schoolId !== row.school_id) {
			school = { schoolId: row.school_id, schoolName: row.school_name, enrolments: [] };
			schools.push(school);
		}
		school.enrolments.push(describe(row, academicYear));
	}
	return { programme, stage, counts, total: Object.values(counts).reduce((a, b) => a + b, 0), schools };
}

/**
 * What the enrol form offers: the schools whose lists the actor may open and, once a school is
 * chosen, its young people not yet in the programme. A school out of reach is a 404, audited.
 */
export async function getEnrolChoices(db: Db, actor: Actor, programmeId: string, schoolId: string | undefined, now: Date) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const schools = await listSchoolChoices(db, actor);
	if (!schoolId) return { schools, roles: rolesFor(programme.shape), school: undefined, candidates: [] };
	const school = await requireSchoolList(db, actor, schoolId);
	const academicYear = academicYearOf(now);
	const candidates = await queries.listEnrolCandidates(db, programme.id, school.id, academicYear - 13);
	return {
		schools,
		roles: rolesFor(programme.shape),
		school: { id: school.id, name: school.name },
		candidates: candidates.map((c) => ({
			id: c.id,
			first_name: c.first_name,
			last_name: c.last_name,
			year_group: yearGroupIn(c.reception_year, academicYear)!
		}))
	};
}

/**
 * Enrols a young person from a school's list; a school out of the actor's reach is a 404,
 * audited. A lead can only enrol young people already in reach, and their enrolment widens no
 * reach (auth/policy.ts): only an admin's does.
 */
export async function enrolYoungPerson(db: Db, actor: Actor, programmeId: string, values: EnrolValues, now: Date): Promise<Result<{ id: string }>> {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const school = await requireSchoolList(db, actor, values.schoolId);
	const academicYear = academicYearOf(now);
	const errors: FieldErrors = {};
	const person = UUID.test(values.youngPersonId)
		? await queries.findCurrentYoungPersonOfSchool(db, school.id, values.youngPersonId, academicYear - 13)
		: undefined;
	if (values.youngPersonId === '') errors.youngPersonId = 'Select a young person';
	else if (!person) errors.youngPersonId = `Select a young person from ${school.name}'s list`;
	const roles = rolesFor(programme.shape);
	if (!oneOf(roles, values.role)) errors.role = roles.length === 1 ? 'Select participant as the role' : 'Select a role: participant, mentor or mentee';
	if (!oneOf(startingStages, values.stage)) errors.stage = 'Select a stage: applied, enrolled or active';
	const dateProblem = checkDate(values.startedOn, 'start date');
	if (dateProblem) errors.startedOn = dateProblem;
	if (hasErrors(errors)) return invalid(errors);

	const result = await withTransaction(db, async (trx) => {
		const existing = await queries.findEnrolmentOf(trx, programme.id, person!.id);
		const inserted = existing
			? undefined
			: await queries.insertEnrolment(
					trx,
					{
						programme_id: programme.id,
						young_person_id: person!.id,
						role: values.role as (typeof roles)[number],
						stage: values.stage as EnrolmentStage,
						started_on: values.startedOn,
						created_by: actor.id
					},
					{ ifEnrolled: 'skip' }
				);
		if (!inserted) return invalidField('youngPersonId', 'This young person is already enrolled in this programme');
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'enrolment.created',
			...enrolment(inserted.id),
			detail: {
				programmeId: programme.id,
				youngPersonId: person!.id,
				schoolId: school.id,
				role: values.role,
				stage: values.stage,
				startedOn: values.startedOn
			},
			address: actor.address
		});
		return ok({ id: inserted.id });
	});
	if (result.ok) reportFiguresChanged({});
	return result;
}

/** One enrolment of the programme, for changing its stage; an enrolment of another programme is a 404. */
export async function getEnrolment(db: Db, actor: Actor, programmeId: string, enrolmentId: string, now: Date) {
	const programme = await getManagedProgramme(db, actor, programmeId);
	const found = UUID.test(enrolmentId) ? await queries.findEnrolment(db, programme.id, enrolmentId) : undefined;
	if (!found) return refuse(db, actor, enrolment(enrolmentId));
	return { programme, enrolment: describe(found, academicYearOf(now)) };
}

/**
 * Moves an enrolment to another stage. Completing or withdrawing sets the end date (today
 * unless given), which cannot be before the start; going back to an earlier stage clears it.
 * `basedOn` is the version of the enrolment the form was opened on (stageFormVersion; '' for
 * none): see edit-versions.ts.
 */
export async function changeEnrolmentStage(
	db: Db,
	actor: Actor,
	programmeId: string,
	enrolmentId: string,
	values: StageValues,
	now: Date,
	basedOn = ''
): Promise<Result<{ id: string }>> {
	const { programme, enrolment: current } = await getEnrolment(db, actor, programmeId, enrolmentId, now);
	const errors: FieldErrors = {};
	if (!oneOf(enrolmentStages, values.stage)) errors.stage = 'Select a stage';
	const ending = endingStages.includes(values.stage as EnrolmentStage);
	const endedOn = ending ? values.endedOn || londonParts(now).date : null;
	if (ending && values.endedOn !== '') {
		const problem = checkDate(values.endedOn, 'end date');
		if (problem) errors.endedOn = problem;
	}
	if (endedOn && !errors.endedOn && endedOn < current.started_on) {
		errors.endedOn = `The end date must be on or after the start date, ${formatDay(current.started_on)}`;
	}
	if (hasErrors(errors)) return invalid(errors);
	const stage = values.stage as EnrolmentStage;

	const changed = await withTransaction(db, async (trx): Promise<Result<{ changed: boolean }>> => {
		// Read under the lock: what the form is checked against, and what the audit says it was.
		const before = await queries.lockEnrolment(trx, current.id);
		if (!before) return { ok: false, code: 'not_found' };
		const stale = staleEdit({
			noun: 'This enrolment',
			basedOn,
			mine: shownStage({ stage, ended_on: endedOn }),
			saved: shownStage(before),
			labels: stageLabels,
			savedAt: before.updated_at
		});
		if (stale) return stale;
		if (stage === before.stage && endedOn === before.ended_on) return ok({ changed: false });
		await queries.updateEnrolment(trx, current.id, { stage, ended_on: endedOn });
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'enrolment.stage_changed',
			...enrolment(current.id),
			detail: { programmeId: programme.id, youngPersonId: current.young_person_id, from: before.stage, to: stage, endedOn },
			address: actor.address
		});
		return ok({ changed: true });
	});
	if (!changed.ok) return changed;
	if (changed.changed) reportFiguresChanged({});
	return ok({ id: current.id });
}

/** The stage form's fields as it shows them: the stage by its label, the end date as people write it. */
const shownStage = (row: { stage: EnrolmentStage; ended_on: string | null }): ShownValues => ({
	stage: enrolmentStageLabels[row.stage],
	endedOn: row.ended_on ? formatDay(row.ended_on) : ''
});

const stageLabels = { stage: 'Stage', endedOn: 'End date' };

/** The version of an enrolment its stage form carries. */
export const stageFormVersion = (row: { stage: EnrolmentStage; ended_on: string | null }): string => versionOf(shownStage(row));

import { authoriseReport } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { Db } from '../db';
import type { FieldErrors } from '../result';
import { schoolPhases, schoolTowns, type SchoolPhase, type SchoolTown } from '../db/schema';
import { londonParts } from '../time';
import { figuresState, keptChoices } from './kept';
import { academicYear, academicYearOfDate, parsePeriod, type Period, type PeriodKind } from './periods';
import { latestDeliveredDay } from './delivered.queries';
import { listReportOptions, type PhaseCount, type ReportOptionProgramme, type ReportOptionSchool } from './reports.queries';

// What every report page starts from: the filter's choices, the selection its search
// parameters ask for, the messages for bad ones and the values to put back in the form.

export interface ReportOptions {
	programmes: ReportOptionProgramme[];
	/** Null where the page read its choices without the schools (see `reportContext`). */
	schools: ReportOptionSchool[] | null;
	/** The active schools of each phase with any (of the district, whoever reads). */
	schoolsByPhase: PhaseCount[];
	phases: readonly SchoolPhase[];
	towns: readonly SchoolTown[];
}

export interface Selection {
	period: Period;
	programmeId?: string;
	schoolId?: string;
	phase?: SchoolPhase;
	town?: SchoolTown;
}

/**
 * What the filters offer: every programme and active school (a school contact sees only their
 * own), or without `withSchools` the programmes only.
 */
export async function reportOptions(db: Db, actor: Actor, withSchools = true): Promise<ReportOptions> {
	await authoriseReport(db, actor, 'see');
	const key = `options ${actor.role === 'school' ? actor.schoolId : 'all'} ${withSchools ? 'with schools' : 'programmes only'}`;
	return keptChoices(db, key, () => readOptions(db, actor, withSchools));
}

async function readOptions(db: Db, actor: Actor, withSchools: boolean): Promise<ReportOptions> {
	const { programmes, schools, schoolsByPhase } = await listReportOptions(db, withSchools);
	return {
		programmes,
		schools: actor.role === 'school' && schools ? schools.filter((s) => s.id === actor.schoolId) : schools,
		schoolsByPhase,
		phases: schoolPhases,
		towns: schoolTowns
	};
}

/** The selection a report's search parameters ask for, with a message for each bad choice (the defaults then apply). */
export function parseSelection(params: URLSearchParams, options: ReportOptions): { selection: Selection; errors: FieldErrors } {
	const parsed = parsePeriod(params);
	const errors: FieldErrors = { ...parsed.errors };
	const selection: Selection = { period: parsed.period };
	const programme = params.get('programme');
	if (programme) {
		if (options.programmes.some((p) => p.id === programme)) selection.programmeId = programme;
		else errors.programme = 'Choose a programme from the list';
	}
	const school = params.get('school');
	if (school) {
		if (options.schools?.some((s) => s.id === school)) selection.schoolId = school;
		else errors.school = 'Choose a school from the list';
	}
	const phase = params.get('phase');
	if (phase) {
		if ((schoolPhases as readonly string[]).includes(phase)) selection.phase = phase as SchoolPhase;
		else errors.phase = 'Choose a phase from the list';
	}
	const town = params.get('town');
	if (town) {
		if ((schoolTowns as readonly string[]).includes(town)) selection.town = town as SchoolTown;
		else errors.town = 'Choose a town from the list';
	}
	return { selection, errors };
}

/** The filters a page may offer besides the period. */
export type FilterField = 'programme' | 'school' | 'phase' | 'town';

export interface FilterValues {
	period: string;
	year: string;
	quarter: string;
	from: string;
	to: string;
	programme: string;
	school: string;
	phase: string;
	town: string;
}

/** The kinds of period a reader may choose on a page, and what to say to one who chose another. */
export interface PeriodRule {
	kinds: readonly PeriodKind[];
	message: string;
}

/** Readers who see small counts hidden choose fixed periods: two ranges of dates a day apart would tell a hidden count. */
export const FIXED_PERIODS: PeriodRule = {
	kinds: ['academic', 'financial', 'quarter'],
	message: 'Choose an academic year, a financial year or a quarter: figures with small counts hidden are given for those periods only'
};

export interface ReportContext {
	options: ReportOptions;
	/** The kinds of period offered. */
	periodKinds: readonly PeriodKind[];
	selection: Selection;
	errors: FieldErrors;
	values: FilterValues;
	fields: readonly FilterField[];
}

const periodParameters = ['period', 'year', 'quarter', 'from', 'to'] as const;

/**
 * The selection for a page offering `fields`. Parameters for filters the page does not offer
 * are dropped, so they neither narrow the figures nor bring up a message about a field the
 * reader cannot see. With no period chosen, `defaults` stand in for the period parameters.
 * `schools`: 'every' reads every school with the choices; 'as chosen' only where the page
 * offers the school filter or a phase or town is chosen (a page that shows no school's row).
 */
export async function reportContext(
	db: Db,
	actor: Actor,
	params: URLSearchParams,
	fields: readonly FilterField[],
	defaults?: Partial<Record<(typeof periodParameters)[number], string>>,
	rule?: PeriodRule,
	schools: 'every' | 'as chosen' = 'every'
): Promise<ReportContext> {
	const asked = new URLSearchParams();
	for (const name of [...periodParameters, ...fields]) {
		const value = params.get(name);
		// An empty choice ("Any programme") is no choice.
		if (value !== null && value !== '') asked.set(name, value.slice(0, 100));
	}
	const withSchools = schools === 'every' || fields.includes('school') || asked.has('phase') || asked.has('town');
	const options = await reportOptions(db, actor, withSchools);
	if (!asked.has('period')) {
		// With no period chosen, the latest period with a session delivered (not an empty current year).
		const chosen = defaults ?? { period: 'academic', year: String(academicYearOfDate(await latestDeliveredDay(db))) };
		for (const [name, value] of Object.entries(chosen)) if (value !== undefined) asked.set(name, value);
	}
	const { selection, errors } = parseSelection(asked, options);
	// A period of a kind not offered is refused like a mistyped one, whatever the address says.
	if (rule && !errors.period && !rule.kinds.includes((asked.get('period') ?? 'academic') as PeriodKind)) errors.period = rule.message;
	const period = selection.period;
	const raw = (name: string, fallback = '') => asked.get(name) ?? fallback;
	return {
		options,
		periodKinds: rule?.kinds ?? ['academic', 'financial', 'quarter', 'dates'],
		selection,
		errors,
		fields,
		values: {
			period: raw('period', period.kind),
			year: raw('year', period.query.year ?? ''),
			quarter: raw('quarter', period.query.quarter ?? ''),
			from: raw('from', period.from),
			to: raw('to', period.to),
			programme: raw('programme'),
			school: raw('school'),
			phase: raw('phase'),
			town: raw('town')
		}
	};
}

/** The last three academic years, this one included: the trend's default period. */
export function recentAcademicYears(today = londonParts(new Date()).date, years = 3) {
	const current = academicYearOfDate(today);
	return { period: 'dates', from: academicYear(current - years + 1).from, to: academicYear(current).to };
}

/** The search parameters that ask for this selection again, keeping only the filters named. */
export function selectionQuery(selection: Selection, keep: readonly FilterField[] = ['programme', 'school', 'phase', 'town']): string {
	const query = new URLSearchParams(selection.period.query);
	const chosen: Record<FilterField, string | undefined> = {
		programme: selection.programmeId,
		school: selection.schoolId,
		phase: selection.phase,
		town: selection.town
	};
	for (const field of keep) {
		const value = chosen[field];
		if (value) query.set(field, value);
	}
	return query.toString();
}

/** What the filter form needs: its values, messages and choices (names only). */
export function filterData(context: ReportContext) {
	return {
		values: context.values,
		errors: context.errors,
		fields: context.fields,
		periodKinds: context.periodKinds,
		programmes: context.options.programmes.map((p) => ({ value: p.id, label: p.name })),
		// Only a page that offers the school filter carries the list (600 names at county scale).
		schools: context.fields.includes('school') ? everySchool(context.options).map((s) => ({ value: s.id, label: s.name })) : []
	};
}

/** The options' schools, for a page that read them (every page but the overview, and it when a phase or town is chosen). */
export function everySchool(options: ReportOptions): ReportOptionSchool[] {
	if (!options.schools) throw new Error('The report options were read without the schools this needs');
	return options.schools;
}

/** The chosen period as a page shows it, or null while the choices have errors (no figures are shown then). */
export function periodData(context: ReportContext) {
	if (Object.keys(context.errors).length > 0) return null;
	const { label, from, to, kind } = context.selection.period;
	return { label, from, to, kind };
}

/**
 * When the figures of a standard period (academic or financial year, quarter) were last counted,
 * and when counting them again last failed if it has since: those are read from the rollup, which
 * is rebuilt on a schedule and soon after changes. Null for a range of dates (always counted from
 * the records) or while there are errors. ISO times.
 */
export async function figuresAsOf(db: Db, context: ReportContext): Promise<{ countedAt: string | null; failedAt: string | null } | null> {
	if (Object.keys(context.errors).length > 0 || context.selection.period.kind === 'dates') return null;
	const { refreshedAt, failedAt } = await figuresState(db);
	return { countedAt: refreshedAt, failedAt };
}

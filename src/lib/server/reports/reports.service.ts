import type { Db } from '../db';
import { refuse, requireRole } from '../auth/access';
import type { Actor } from '../auth/session';
import { schoolPhases, schoolTowns, type PartnershipPriority, type ProgrammeShape, type SchoolPhase, type SchoolTown } from '../db/schema';
import { canManageProgramme } from '../programmes/programmes.service';
import { listProgrammes } from '../programmes/programmes.queries';
import { listSchools } from '../schools/schools.queries';
import { suppressionThreshold } from './disclosure';
import { keptReport } from './rollups';
import { parsePeriod, quartersIn, type Period } from './periods';
import { reportTable, type ReportTable } from './report-table';
import * as queries from './reports.queries';
import { outcomeTable } from './pcc-return';
import { outcomeSummaries } from '../outcomes/outcomes.summary';
import { emptyFigures, type Figures, type ReportFilter } from './reports.queries';

// Reports are aggregates: no young person's name ever reaches them. Admins and programme
// leads see the figures as they are; report viewers see counts of people below the
// threshold as `c` (with secondary suppression); a school contact sees their own school's
// figures as they are, beside the district's, suppressed, and nothing of any other school.

const target = (entityId?: string) => ({ entityType: 'report', entityId });

export interface ReportOptions {
	programmes: { id: string; name: string; shape: ProgrammeShape; partnership_priority: PartnershipPriority; pcc_tags: string[] }[];
	schools: { id: string; name: string; phase: SchoolPhase; town: SchoolTown }[];
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

/** What the filters offer: every programme and active school (a school contact sees only their own). */
export async function reportOptions(db: Db, actor: Actor): Promise<ReportOptions> {
	await requireRole(db, actor, ['admin', 'lead', 'viewer', 'school'], target());
	return keptReport(db, `options ${actor.role === 'school' ? actor.schoolId : 'all'}`, () => readOptions(db, actor));
}

async function readOptions(db: Db, actor: Actor): Promise<ReportOptions> {
	const programmes = (await listProgrammes(db)).map((p) => ({
		id: p.id,
		name: p.name,
		shape: p.shape,
		partnership_priority: p.partnership_priority,
		pcc_tags: p.pcc_tags
	}));
	const schools = (await listSchools(db))
		.filter((s) => actor.role !== 'school' || s.id === actor.schoolId)
		.map((s) => ({ id: s.id, name: s.name, phase: s.phase, town: s.town }));
	return { programmes, schools, phases: schoolPhases, towns: schoolTowns };
}

/** The selection a report's search parameters ask for, with a message for each bad choice (the defaults then apply). */
export function parseSelection(params: URLSearchParams, options: ReportOptions): { selection: Selection; errors: Record<string, string> } {
	const parsed = parsePeriod(params);
	const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
	const selection: Selection = { period: parsed.period };
	const programme = params.get('programme');
	if (programme) {
		if (options.programmes.some((p) => p.id === programme)) selection.programmeId = programme;
		else errors.programme = 'Choose a programme from the list';
	}
	const school = params.get('school');
	if (school) {
		if (options.schools.some((s) => s.id === school)) selection.schoolId = school;
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

function filterOf(selection: Selection): ReportFilter {
	return {
		from: selection.period.from,
		to: selection.period.to,
		periodKind: selection.period.kind,
		...(selection.programmeId ? { programmeIds: [selection.programmeId] } : {}),
		...(selection.schoolId ? { schoolIds: [selection.schoolId] } : {}),
		...(selection.phase ? { phase: selection.phase } : {}),
		...(selection.town ? { town: selection.town } : {})
	};
}

/** The threshold for this reader, or null for those who see figures as they are. */
function thresholdFor(actor: Actor): number | null {
	return actor.role === 'viewer' || actor.role === 'school' ? suppressionThreshold() : null;
}

async function totalFigures(db: Db, filter: ReportFilter): Promise<Figures> {
	return (await queries.reportFigures(db, filter, 'total')).get('total') ?? emptyFigures('total');
}

export interface PhaseReach {
	phase: SchoolPhase;
	schools: number;
	reached: number;
}

export interface Overview {
	totals: ReportTable<{ figures: Figures }>['total'];
	programmes: ReportTable<{ id: string; name: string; figures: Figures }>;
	phases: PhaseReach[];
	/** Before-and-after outcomes, one entry per programme of `programmes` (same order), and in total. */
	outcomes: ReturnType<typeof outcomeTable>;
}

async function requireAggregateReader(db: Db, actor: Actor) {
	await requireRole(db, actor, ['admin', 'lead', 'viewer'], target());
}

/** The district overview: the totals, reach by phase, and one row per programme. */
export async function districtOverview(db: Db, actor: Actor, selection: Selection, options: ReportOptions): Promise<Overview> {
	await requireAggregateReader(db, actor);
	return keptReport(db, `overview ${thresholdFor(actor)} ${JSON.stringify(selection)}`, () => overviewOf(db, actor, selection, options));
}

async function overviewOf(db: Db, actor: Actor, selection: Selection, options: ReportOptions): Promise<Overview> {
	const filter = filterOf(selection);
	const chosen = options.programmes.filter((p) => !selection.programmeId || p.id === selection.programmeId);
	const schoolIds = selection.schoolId || selection.phase || selection.town ? schoolsOf(selection, options) : undefined;
	const [byProgramme, total, schools, reached, outcomes] = await Promise.all([
		queries.reportFigures(db, filter, 'programme'),
		totalFigures(db, filter),
		queries.schoolsByPhase(db, filter),
		queries.schoolsReachedByPhase(db, filter),
		outcomeSummaries(db, { from: filter.from, to: filter.to, programmeIds: chosen.map((p) => p.id), ...(schoolIds ? { schoolIds } : {}) })
	]);
	const programmes = reportTable(
		chosen.map((p) => ({ id: p.id, name: p.name, figures: byProgramme.get(p.id) ?? emptyFigures(p.id) })),
		total,
		thresholdFor(actor)
	);
	const phases = schools
		.map((s) => ({ phase: s.phase, schools: s.schools, reached: reached.find((r) => r.phase === s.phase)?.reached ?? 0 }))
		.sort((a, b) => schoolPhases.indexOf(a.phase) - schoolPhases.indexOf(b.phase));
	return { totals: programmes.total, programmes, phases, outcomes: outcomeTable(outcomes, chosen, thresholdFor(actor)) };
}

/** The ids of the schools a selection's school filters keep. */
function schoolsOf(selection: Selection, options: ReportOptions): string[] {
	return options.schools
		.filter((s) => (!selection.schoolId || s.id === selection.schoolId) && (!selection.phase || s.phase === selection.phase) && (!selection.town || s.town === selection.town))
		.map((s) => s.id);
}

export type SchoolRow = { id: string; name: string; phase: SchoolPhase; town: SchoolTown; figures: Figures };

/** One row per school in the selection (schools nobody from came to included, so gaps show). */
export async function bySchool(db: Db, actor: Actor, selection: Selection, options: ReportOptions, forExport = false): Promise<ReportTable<SchoolRow>> {
	await requireAggregateReader(db, actor);
	const threshold = forExport ? suppressionThreshold() : thresholdFor(actor);
	return keptReport(db, `by school ${threshold} ${JSON.stringify(selection)}`, () => bySchoolOf(db, selection, options, threshold));
}

async function bySchoolOf(db: Db, selection: Selection, options: ReportOptions, threshold: number | null): Promise<ReportTable<SchoolRow>> {
	const filter = filterOf(selection);
	const [figures, total] = await Promise.all([queries.reportFigures(db, filter, 'school'), totalFigures(db, filter)]);
	const rows = options.schools
		.filter((s) => (!selection.schoolId || s.id === selection.schoolId) && (!selection.phase || s.phase === selection.phase) && (!selection.town || s.town === selection.town))
		.map((s) => ({ ...s, figures: figures.get(s.id) ?? emptyFigures(s.id) }));
	// A download is suppressed whoever makes it: a file travels.
	return reportTable(rows, total, threshold);
}

export interface SchoolReport {
	school: ReportOptions['schools'][number];
	/** The school's own figures, by programme and in total, as they are for its own staff. */
	own: ReportTable<{ id: string; name: string; figures: Figures }>;
	/** The district's, by programme and in total, for comparison. */
	district: ReportTable<{ id: string; name: string; figures: Figures }>;
	districtSchools: number;
}

/** One school's figures beside the district's. A school contact sees only their own school. */
export async function schoolReport(db: Db, actor: Actor, schoolId: string, selection: Selection, options: ReportOptions): Promise<SchoolReport> {
	await requireRole(db, actor, ['admin', 'lead', 'viewer', 'school'], target(schoolId));
	const school = options.schools.find((s) => s.id === schoolId);
	if (!school || (actor.role === 'school' && actor.schoolId !== schoolId)) return refuse(db, actor, { entityType: 'school', entityId: schoolId });
	return keptReport(db, `school ${schoolId} ${actor.role} ${JSON.stringify(selection)}`, () => schoolReportOf(db, actor, school, selection, options));
}

async function schoolReportOf(db: Db, actor: Actor, school: ReportOptions['schools'][number], selection: Selection, options: ReportOptions): Promise<SchoolReport> {
	const schoolId = school.id;
	const districtFilter: ReportFilter = { from: selection.period.from, to: selection.period.to, periodKind: selection.period.kind, ...(selection.programmeId ? { programmeIds: [selection.programmeId] } : {}) };
	const ownFilter: ReportFilter = { ...districtFilter, schoolIds: [schoolId] };
	const [own, ownTotal, district, districtTotal, phases] = await Promise.all([
		queries.reportFigures(db, ownFilter, 'programme'),
		totalFigures(db, ownFilter),
		queries.reportFigures(db, districtFilter, 'programme'),
		totalFigures(db, districtFilter),
		queries.schoolsByPhase(db, {})
	]);
	const programmes = options.programmes.filter((p) => !selection.programmeId || p.id === selection.programmeId);
	const rows = (source: Map<string, Figures>) => programmes.map((p) => ({ id: p.id, name: p.name, figures: source.get(p.id) ?? emptyFigures(p.id) }));
	return {
		school,
		// The school's own staff, admins and leads see their figures exactly; a report viewer does not.
		own: reportTable(rows(own), ownTotal, actor.role === 'viewer' ? suppressionThreshold() : null),
		district: reportTable(rows(district), districtTotal, thresholdFor(actor)),
		districtSchools: phases.reduce((a, p) => a + p.schools, 0)
	};
}

/** One row per programme. */
export async function byProgramme(db: Db, actor: Actor, selection: Selection, options: ReportOptions) {
	return (await districtOverview(db, actor, selection, options)).programmes;
}

export type QuarterRow = { id: string; name: string; figures: Figures };

/** The selection quarter by quarter (financial quarters), every quarter shown even when empty. */
export async function trendByQuarter(db: Db, actor: Actor, selection: Selection): Promise<ReportTable<QuarterRow>> {
	await requireAggregateReader(db, actor);
	return keptReport(db, `trend ${thresholdFor(actor)} ${JSON.stringify(selection)}`, () => trendOf(db, actor, selection));
}

async function trendOf(db: Db, actor: Actor, selection: Selection): Promise<ReportTable<QuarterRow>> {
	const filter = filterOf(selection);
	const [figures, total] = await Promise.all([queries.reportFigures(db, filter, 'quarter'), totalFigures(db, filter)]);
	const rows = quartersIn(selection.period).map((q) => ({ id: q.from, name: q.label, figures: figures.get(q.from) ?? emptyFigures(q.from) }));
	return reportTable(rows, total, thresholdFor(actor));
}

/** A programme's sessions in the selection: for its leads and admins only. */
export async function programmeSessions(db: Db, actor: Actor, programmeId: string, selection: Selection) {
	await requireRole(db, actor, ['admin', 'lead'], target(programmeId));
	if (!(await canManageProgramme(db, actor, programmeId))) return refuse(db, actor, { entityType: 'programme', entityId: programmeId });
	return queries.sessionRows(db, { ...filterOf(selection), programmeIds: [programmeId] });
}

import type { Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseExport, authoriseReport, mayManageProgramme, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { schoolPhases, type SchoolPhase, type SchoolTown } from '../db/schema';
import { CSV_CONTENT_TYPE, toCsv } from '../exports/csv';
import type { ExportFile } from '../exports/file';
import { XLSX_CONTENT_TYPE, toXlsx } from '../exports/xlsx';
import { outcomeSummaries, outcomeSummaryOf } from '../outcomes/outcomes.summary';
import { hasErrors, invalid, notFound, ok, refused, type Result } from '../result';
import { suppressionThreshold, type Cell } from './disclosure';
import { byScope, districtBesideSchool, districtCells, figureName, schoolCells, type DistrictRows } from './linked-figures';
import { exportHeader, exportRows } from './export-table';
import { keptReport } from './kept';
import { latestDeliveredDay } from './delivered.queries';
import { outcomeTable, presentOutcome } from './outcome-table';
import { defaultReturnPeriod, NARRATIVE_MAX, pccReturn, pccReturnSheets, presentPccReturn, saveNarrative } from './pcc-return';
import type { NarrativeValues } from './pcc-return.schema';
import { academicYear, academicYearOfDate, quartersIn, yearBefore, type Period } from './periods';
import { presentTable, reportColumns, type ShownCell } from './present';
import { formatCount, formatOneDecimal } from '../../format';
import {
	FIXED_PERIODS,
	figuresAsOf,
	filterData,
	periodData,
	recentAcademicYears,
	reportContext,
	selectionQuery,
	type FilterField,
	everySchool,
	type ReportOptions,
	type Selection
} from './report-page';
import { parseSort, sortRows } from './report-sort';
import { columns, decidedTable, reportTable, type Column, type Counted, type Measure, type ReportTable } from './report-table';
import * as queries from './reports.queries';
import { emptyFigures, type Figures, type ReportFilter, type ReportOptionSchool } from './reports.queries';

// Reports are aggregates: no young person's name ever reaches them. Admins and programme
// leads see the figures as they are, for any period; report viewers see counts of people below
// the threshold as `c` (with secondary suppression); a school contact sees their own school's
// figures as they are, beside the district's, suppressed, and nothing of any other school;
// every download is suppressed, whoever makes it. Suppressed figures are for fixed periods
// only, and are read from one decision for everything such a reader can ask for
// (linked-figures.ts), so that no page shows what another hides.

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

/** Whether the reader sees some of a page's figures suppressed: the district's, for a school contact. */
const readsSuppressed = (actor: Actor) => thresholdFor(actor) !== null;

/**
 * The choices a page offers: a reader with suppressed figures gets fixed periods and only the
 * filters whose figures are part of the one decision (a programme, or a school), so that no
 * choice gives a total that another would subtract from.
 */
function choicesFor(suppressed: boolean, exact: readonly FilterField[], forSuppressed: readonly FilterField[]) {
	return suppressed ? { fields: forSuppressed, rule: FIXED_PERIODS } : { fields: exact, rule: undefined };
}

/** A table of the district's rows (programmes or schools) and total, as `districtCells` decided them. */
function districtTable<R extends { figures: Figures }>(
	cells: ReadonlyMap<string, Cell>,
	period: Period,
	rows: R[],
	total: Figures,
	scopeOf: (row: R) => string,
	totalScope: string,
	threshold: number
) {
	const index = byScope(cells, period);
	// The cells of a row are asked for one after another: its scope is looked up once.
	let last: { row: R | null; cells: Map<string, Cell> | undefined } | undefined;
	return decidedTable(
		rows,
		total,
		(measure: Counted, row: R | null) => {
			if (last?.row !== row) last = { row, cells: index.get(row ? scopeOf(row) : totalScope) };
			return last.cells?.get(measure);
		},
		threshold
	);
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
	await authoriseReport(db, actor, 'district');
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
	const programmeIds = chosen.map((p) => p.id);
	const together = await queries.overviewFigures(db, filter, programmeIds, options.schoolsByPhase);
	const [{ rows: byProgramme, total }, reach, outcomes] = together
		? [together, together.reach, together.outcomes.map(outcomeSummaryOf)]
		: await Promise.all([
				queries.reportFiguresAndTotal(db, filter, 'programme'),
				queries.reachByPhase(db, filter),
				outcomeSummaries(db, { from: filter.from, to: filter.to, programmeIds, ...(schoolIds ? { schoolIds } : {}) })
			]);
	const rows = chosen.map((p) => ({ id: p.id, name: p.name, figures: byProgramme.get(p.id) ?? emptyFigures(p.id) }));
	const threshold = thresholdFor(actor);
	// With a programme chosen its row is the total. A suppressed reader has no school filters here.
	const programmes =
		threshold === null
			? reportTable(rows, total, null)
			: districtTable(
					await districtCells(db, selection.period, threshold, districtRows(actor, options)),
					selection.period,
					rows,
					total,
					(p) => `programme ${p.id}`,
					selection.programmeId ? `programme ${selection.programmeId}` : 'total',
					threshold
				);
	const phases = [...reach].sort((a, b) => schoolPhases.indexOf(a.phase) - schoolPhases.indexOf(b.phase));
	return { totals: programmes.total, programmes, phases, outcomes: outcomeTable(outcomes, chosen, thresholdFor(actor)) };
}

/**
 * The report options hold the district's every programme and school, except for a school
 * contact (their own school only) or where read without schools: then the decision reads them.
 */
const districtRows = (actor: Actor, options: ReportOptions): DistrictRows | undefined =>
	actor.role === 'school' || !options.schools ? undefined : { programmes: options.programmes, schools: options.schools };

/** The ids of the schools a selection's school filters keep. */
function schoolsOf(selection: Selection, options: ReportOptions): string[] {
	return chosenSchools(selection, options).map((s) => s.id);
}

/** The schools a selection's school filters keep. */
function chosenSchools(selection: Selection, options: ReportOptions): ReportOptionSchool[] {
	return everySchool(options).filter(
		(s) =>
			(!selection.schoolId || s.id === selection.schoolId) &&
			(!selection.phase || s.phase === selection.phase) &&
			(!selection.town || s.town === selection.town)
	);
}

export type SchoolRow = { id: string; name: string; phase: SchoolPhase; town: SchoolTown; figures: Figures };

/** One row per school in the selection (schools nobody from came to included, so gaps show). */
export async function bySchool(db: Db, actor: Actor, selection: Selection, options: ReportOptions, forExport = false): Promise<ReportTable<SchoolRow>> {
	await requireAggregateReader(db, actor);
	const threshold = forExport ? suppressionThreshold() : thresholdFor(actor);
	return keptReport(db, `by school ${threshold} ${JSON.stringify(selection)}`, () =>
		bySchoolOf(db, selection, options, threshold, districtRows(actor, options))
	);
}

async function bySchoolOf(
	db: Db,
	selection: Selection,
	options: ReportOptions,
	threshold: number | null,
	named: DistrictRows | undefined
): Promise<ReportTable<SchoolRow>> {
	const filter = filterOf(selection);
	const { rows: figures, total } = await queries.reportFiguresAndTotal(db, filter, 'school');
	const rows = schoolRows(selection, options, figures);
	// A download is suppressed whoever makes it: a file travels. Suppressed, one school's row is its total.
	if (threshold === null) return reportTable(rows, total, null);
	const cells = await districtCells(db, selection.period, threshold, named);
	return districtTable(cells, selection.period, rows, total, (s) => `school ${s.id}`, selection.schoolId ? `school ${selection.schoolId}` : 'total', threshold);
}

function schoolRows(selection: Selection, options: ReportOptions, figures: Map<string, Figures>): SchoolRow[] {
	return chosenSchools(selection, options).map((s) => ({ ...s, figures: figures.get(s.id) ?? emptyFigures(s.id) }));
}

export interface SchoolReport {
	school: ReportOptionSchool;
	/** The school's own figures, by programme and in total, as they are for its own staff. */
	own: ReportTable<{ id: string; name: string; figures: Figures }>;
	/** The district's, by programme and in total, for comparison. */
	district: ReportTable<{ id: string; name: string; figures: Figures }>;
	districtSchools: number;
}

/** One school's figures beside the district's. A school contact sees only their own school. */
export async function schoolReport(db: Db, actor: Actor, schoolId: string, selection: Selection, options: ReportOptions): Promise<SchoolReport> {
	await authoriseReport(db, actor, 'school', schoolId);
	const school = everySchool(options).find((s) => s.id === schoolId);
	if (!school) return refuse(db, actor, { entityType: 'school', entityId: schoolId });
	return keptReport(db, `school ${schoolId} ${actor.role} ${JSON.stringify(selection)}`, () => schoolReportOf(db, actor, school, selection, options));
}

async function schoolReportOf(db: Db, actor: Actor, school: ReportOptionSchool, selection: Selection, options: ReportOptions): Promise<SchoolReport> {
	const schoolId = school.id;
	const districtFilter: ReportFilter = {
		from: selection.period.from,
		to: selection.period.to,
		periodKind: selection.period.kind,
		...(selection.programmeId ? { programmeIds: [selection.programmeId] } : {})
	};
	const ownFilter: ReportFilter = { ...districtFilter, schoolIds: [schoolId] };
	const [own, ownTotal, district, districtTotal] = await Promise.all([
		queries.reportFigures(db, ownFilter, 'programme'),
		totalFigures(db, ownFilter),
		queries.reportFigures(db, districtFilter, 'programme'),
		totalFigures(db, districtFilter)
	]);
	const programmes = options.programmes.filter((p) => !selection.programmeId || p.id === selection.programmeId);
	const rows = (source: Map<string, Figures>) => programmes.map((p) => ({ id: p.id, name: p.name, figures: source.get(p.id) ?? emptyFigures(p.id) }));
	const threshold = thresholdFor(actor);
	const districtSchools = options.schoolsByPhase.reduce((a, p) => a + p.schools, 0);
	// The school's own staff, admins and leads see their figures exactly.
	if (threshold === null)
		return { school, own: reportTable(rows(own), ownTotal, null), district: reportTable(rows(district), districtTotal, null), districtSchools };
	const { period, programmeId } = selection;
	const chosen = (scope: string) => (programmeId ? `programme ${programmeId}${scope}` : null);
	// A school contact knows their own figures, so the district less them must be protected as well as the district.
	const districtDecided = actor.role === 'school' ? await districtBesideSchool(db, period, schoolId, threshold) : await districtCells(db, period, threshold);
	const districtShown = districtTable(districtDecided, period, rows(district), districtTotal, (p) => `programme ${p.id}`, chosen('') ?? 'total', threshold);
	if (actor.role === 'school') return { school, own: reportTable(rows(own), ownTotal, null), district: districtShown, districtSchools };
	const ownCells = await schoolCells(db, period, schoolId, threshold);
	const ownShown = districtTable(
		ownCells,
		period,
		rows(own),
		ownTotal,
		(p) => `programme ${p.id} school ${schoolId}`,
		chosen(` school ${schoolId}`) ?? `school ${schoolId}`,
		threshold
	);
	return { school, own: ownShown, district: districtShown, districtSchools };
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
	const quarters = quartersIn(selection.period);
	const rows = quarters.map((q) => ({ id: q.from, name: q.label, figures: figures.get(q.from) ?? emptyFigures(q.from) }));
	const threshold = thresholdFor(actor);
	if (threshold === null) return reportTable(rows, total, null);
	// A suppressed trend is a financial year's (or one quarter's): its quarters and total are the district's as decided for the year.
	const cells = await districtCells(db, selection.period, threshold);
	const scope = selection.programmeId ? `programme ${selection.programmeId}` : 'total';
	return decidedTable(rows, total, (measure, row) => cells.get(figureName(measure, row ? quarters[rows.indexOf(row)]! : selection.period, scope)), threshold);
}

/** A programme's sessions in the selection: for its leads and admins only. */
export async function programmeSessions(db: Db, actor: Actor, programmeId: string, selection: Selection) {
	await authoriseReport(db, actor, 'programme', programmeId);
	return queries.sessionRows(db, { ...filterOf(selection), programmeIds: [programmeId] });
}

// The report pages and downloads, one use case each: a page's load is one call, and a
// download's route sends the file it is given. Choices with errors are shown beside the
// filters, with no figures; a download with bad choices is refused with their messages.

/**
 * A school contact's reports are their own school's page, beside the district's: they are
 * refused the district's pages, and the route sends them to their own school's instead.
 */
function ownSchoolOnly(actor: Actor) {
	return actor.role === 'school' && actor.schoolId ? refused('own_school_only', "A school contact's reports are their own school's page") : undefined;
}

/** The district overview page: the district's figures, by programme, phase or town (one school's are on its own page). */
export async function overviewPage(db: Db, actor: Actor, params: URLSearchParams) {
	const elsewhere = ownSchoolOnly(actor);
	if (elsewhere) return elsewhere;
	const choices = choicesFor(readsSuppressed(actor), ['programme', 'phase', 'town'], ['programme']);
	const context = await reportContext(db, actor, params, choices.fields, undefined, choices.rule, 'as chosen');
	const period = periodData(context);
	const overview = period ? await districtOverview(db, actor, context.selection, context.options) : null;
	return ok({
		page: {
			filter: filterData(context),
			period,
			asOf: await figuresAsOf(db, context),
			columns: reportColumns,
			overview: overview && {
				programmes: presentTable(overview.programmes),
				phases: overview.phases,
				// Outcomes by programme, only those with answers; the same order as the programmes.
				outcomes: overview.programmes.rows
					.map((p, i) => ({ id: p.id, name: p.name, ...presentOutcome(overview.outcomes.programmes[i]!) }))
					.filter((o) => o.pairs.value !== 0),
				outcomeTotal: presentOutcome(overview.outcomes.total)
			},
			programmeQuery: selectionQuery(context.selection, ['phase', 'town']),
			query: selectionQuery(context.selection)
		}
	});
}

/** The by-school page, sorted as `?sort=` and `?dir=` ask. */
export async function schoolsPage(db: Db, actor: Actor, params: URLSearchParams) {
	const elsewhere = ownSchoolOnly(actor);
	if (elsewhere) return elsewhere;
	const choices = choicesFor(readsSuppressed(actor), ['programme', 'school', 'phase', 'town'], ['school']);
	const context = await reportContext(db, actor, params, choices.fields, undefined, choices.rule);
	const period = periodData(context);
	const sort = parseSort(params, ['name', 'phase', 'town']);
	// Sorted after suppression, by what the page shows: a hidden figure has no value to sort by.
	const table = period ? presentTable(await bySchool(db, actor, context.selection, context.options)) : null;
	return ok({
		page: {
			filter: filterData(context),
			period,
			asOf: await figuresAsOf(db, context),
			columns: reportColumns,
			sort,
			schools: table && { ...table, rows: sortRows(table.rows, sort) },
			// The file is suppressed whoever asks, so it is offered for what a suppressed reader may choose.
			download: period !== null && period.kind !== 'dates' && !context.selection.programmeId && !context.selection.phase && !context.selection.town,
			schoolQuery: selectionQuery(context.selection, ['programme']),
			query: selectionQuery(context.selection)
		}
	});
}

/** The by-school report as a CSV file: one row per school and the total, small counts as c for everyone. Audited. */
export async function bySchoolDownload(db: Db, actor: Actor, params: URLSearchParams): Promise<Result<{ file: ExportFile }>> {
	const elsewhere = ownSchoolOnly(actor);
	if (elsewhere) return elsewhere;
	await authoriseExport(db, actor, 'schools');
	const context = await reportContext(db, actor, params, ['programme', 'school', 'phase', 'town'], undefined, FIXED_PERIODS);
	const errors: Record<string, string> = { ...context.errors };
	// The file hides small counts whoever makes it: it is for every school or one, like a suppressed page.
	for (const field of ['programme', 'phase', 'town'] as const) {
		if (params.get(field)) errors[field] = 'The download hides small counts, so it is for every school or one school: remove this choice to download';
	}
	if (hasErrors(errors)) return invalid(errors);
	const table = await bySchool(db, actor, context.selection, context.options, true);
	const { period } = context.selection;
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'report.downloaded',
		entityType: 'report',
		detail: { report: 'by_school', from: period.from, to: period.to },
		address: actor.address
	});
	const body = toCsv({
		header: ['School', 'Phase', 'Town', ...exportHeader],
		rows: exportRows(table, (s) => [s.name, s.phase, s.town], ['All schools', '', ''])
	});
	return ok({ file: { fileName: `report-by-school-${period.from}-to-${period.to}.csv`, contentType: CSV_CONTENT_TYPE, body } });
}

/** One school's page, beside the district. Another school's page is a 404 whatever the choices, errors included. */
export async function schoolPage(db: Db, actor: Actor, schoolId: string, params: URLSearchParams) {
	const context = await reportContext(db, actor, params, ['programme'], undefined, readsSuppressed(actor) ? FIXED_PERIODS : undefined);
	const period = periodData(context);
	// With errors there are no figures, but another school's page is refused all the same.
	const selection = period ? context.selection : { period: academicYear(academicYearOfDate(context.selection.period.from)) };
	const report = await schoolReport(db, actor, schoolId, selection, context.options);
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		columns: reportColumns,
		school: report.school,
		districtSchools: report.districtSchools,
		own: period ? presentTable(report.own) : null,
		district: period ? presentTable(report.district) : null,
		query: selectionQuery(context.selection, ['programme']),
		isSchoolContact: actor.role === 'school'
	};
}

/**
 * A programme's page: its figures for everyone who reads aggregates, and its sessions for its
 * own leads and admins (only they are offered them, so no one else is refused them).
 */
export async function programmePage(db: Db, actor: Actor, programmeId: string, params: URLSearchParams) {
	const choices = choicesFor(readsSuppressed(actor), ['school', 'phase', 'town'], []);
	const context = await reportContext(db, actor, params, choices.fields, undefined, choices.rule);
	const programme = context.options.programmes.find((p) => p.id === programmeId);
	if (!programme) notFound();
	const period = periodData(context);
	const selection = { ...context.selection, programmeId };
	// The overview authorises the reader (admins, leads and report viewers); with errors it has no figures to show.
	const overview = await districtOverview(
		db,
		actor,
		period ? selection : { programmeId, period: academicYear(academicYearOfDate(selection.period.from)) },
		context.options
	);
	const canDrillDown = await mayManageProgramme(db, actor, programmeId);
	const sessions = period && canDrillDown ? await programmeSessions(db, actor, programmeId, selection) : null;
	const table = presentTable(overview.programmes);
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		programme: { id: programme.id, name: programme.name, shape: programme.shape, priority: programme.partnership_priority, tags: programme.pcc_tags },
		figures: period ? (table.rows[0]?.cells ?? table.total) : null,
		threshold: table.threshold,
		canDrillDown,
		sessions: sessions?.map((s) => ({
			id: s.session_id,
			start: s.local_start,
			status: s.status,
			delivered: s.delivered,
			schools: s.schools,
			placesBooked: s.places_booked,
			attended: s.attended,
			rate: s.expected > 0 ? `${Math.round((s.attended / s.expected) * 100)}%` : 'n/a'
		})),
		query: selectionQuery(selection),
		schoolsQuery: selectionQuery(selection, ['programme', 'phase', 'town'])
	};
}

/** The trend page, quarter by quarter. A trend needs more than one year: with no period chosen, the last three academic years. */
export async function trendPage(db: Db, actor: Actor, params: URLSearchParams) {
	// Refused first: a school contact's choices are not looked at (their trend is not theirs to see).
	await requireAggregateReader(db, actor);
	const suppressed = readsSuppressed(actor);
	// A suppressed trend goes by a financial year's quarters, which add up to it: an academic year cuts two of them.
	const context = suppressed
		? await reportContext(db, actor, params, ['programme'], defaultReturnPeriod(await latestDeliveredDay(db)), {
				kinds: ['financial', 'quarter'],
				message: 'Choose a financial year or a quarter: the trend with small counts hidden goes by the quarters of a financial year'
			})
		: await reportContext(db, actor, params, ['programme', 'school', 'phase', 'town'], recentAcademicYears(await latestDeliveredDay(db)));
	const period = periodData(context);
	const table = period ? presentTable(await trendByQuarter(db, actor, context.selection)) : null;
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		columns: reportColumns,
		quarters: table,
		query: selectionQuery(context.selection)
	};
}

/** One measure this period beside the same period a year before, and the change when both are shown. */
export interface ComparedMeasure {
	measure: Measure;
	label: string;
	before: ShownCell;
	now: ShownCell;
	change: string;
}

function changeText(before: ShownCell, now: ShownCell, format: Column['format']): string {
	if (before.value === null || now.value === null) return '–';
	const difference = now.value - before.value;
	const sign = difference > 0 ? '+' : difference < 0 ? '−' : '';
	const size = Math.abs(difference);
	switch (format) {
		case 'percent':
			return `${sign}${formatCount(Math.round(size))} ${Math.round(size) === 1 ? 'point' : 'points'}`;
		case 'hours':
			return `${sign}${formatOneDecimal(size)}`;
		case 'count':
			return `${sign}${formatCount(size)}`;
	}
}

/**
 * This period beside the same period a year before, for the district or one programme. Fixed
 * periods only, for everyone: the comparison is of two whole years or quarters, each counted
 * and hidden exactly as on its own overview.
 */
export async function comparePage(db: Db, actor: Actor, params: URLSearchParams) {
	const elsewhere = ownSchoolOnly(actor);
	if (elsewhere) return elsewhere;
	const context = await reportContext(db, actor, params, ['programme'], undefined, FIXED_PERIODS);
	const period = periodData(context);
	const earlier = yearBefore(context.selection.period);
	const [now, before] = period
		? await Promise.all([
				districtOverview(db, actor, context.selection, context.options),
				districtOverview(db, actor, { ...context.selection, period: earlier }, context.options)
			])
		: [null, null];
	const nowTable = now && presentTable(now.programmes);
	const beforeTable = before && presentTable(before.programmes);
	return ok({
		page: {
			filter: filterData(context),
			period,
			earlier: { label: earlier.label, query: new URLSearchParams(earlier.query).toString() },
			asOf: await figuresAsOf(db, context),
			measures:
				nowTable && beforeTable
					? columns.map((c): ComparedMeasure => ({
							measure: c.measure,
							label: c.label,
							before: beforeTable.total[c.measure],
							now: nowTable.total[c.measure],
							change: changeText(beforeTable.total[c.measure], nowTable.total[c.measure], c.format)
						}))
					: null,
			// Young people reached by programme, both years, in the overview's order.
			programmes:
				nowTable && beforeTable
					? nowTable.rows.map((row) => {
							const then = beforeTable.rows.find((r) => r.id === row.id)!.cells.youngPeopleReached;
							return {
								id: row.id,
								name: row.name,
								before: then,
								now: row.cells.youngPeopleReached,
								change: changeText(then, row.cells.youngPeopleReached, 'count')
							};
						})
					: null,
			threshold: nowTable?.threshold ?? null,
			query: selectionQuery(context.selection)
		}
	});
}

/** The choices of the return to the PCC: its period (a financial year unless chosen) and perhaps one programme. */
async function returnContext(db: Db, actor: Actor, params: URLSearchParams, forExport = false) {
	await authoriseReport(db, actor, 'pcc_return');
	return reportContext(
		db,
		actor,
		params,
		['programme'],
		defaultReturnPeriod(await latestDeliveredDay(db)),
		forExport || readsSuppressed(actor) ? FIXED_PERIODS : undefined
	);
}

/** The page of the return to the PCC, with each programme's narrative. */
export async function pccReturnPage(db: Db, actor: Actor, params: URLSearchParams) {
	const context = await returnContext(db, actor, params);
	const period = periodData(context);
	return {
		filter: filterData(context),
		period,
		columns: reportColumns,
		pcc: period ? presentPccReturn(await pccReturn(db, actor, context.selection, context.options)) : null,
		// The files are suppressed whoever makes them, so they are for fixed periods only.
		download: period !== null && period.kind !== 'dates',
		narrativeMax: NARRATIVE_MAX,
		query: selectionQuery(context.selection, ['programme'])
	};
}

/** Saves a programme's narrative for the period the return's choices ask for (none while they have errors). */
export async function saveReturnNarrative(db: Db, actor: Actor, params: URLSearchParams, values: NarrativeValues): Promise<Result> {
	const context = await returnContext(db, actor, params);
	if (hasErrors(context.errors)) return invalid(context.errors);
	return saveNarrative(db, actor, context.selection.period, values);
}

/**
 * The return to the PCC as a file, always suppressed: the XLSX has every sheet, the CSV the
 * programmes (a CSV file holds one table). Audited.
 */
export async function pccReturnDownload(db: Db, actor: Actor, params: URLSearchParams, format: 'csv' | 'xlsx'): Promise<Result<{ file: ExportFile }>> {
	await authoriseExport(db, actor, 'pcc_return');
	const context = await returnContext(db, actor, params, true);
	if (hasErrors(context.errors)) return invalid(context.errors);
	const { period, programmeId } = context.selection;
	const sheets = pccReturnSheets(await pccReturn(db, actor, context.selection, context.options, true), new Date());
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'pcc_return.downloaded',
		entityType: 'pcc_return',
		detail: { format, from: period.from, to: period.to, ...(programmeId ? { programme: programmeId } : {}) },
		address: actor.address
	});
	const fileName = `pcc-return-${period.from}-to-${period.to}.${format}`;
	if (format === 'csv') {
		const [header, ...rows] = sheets[0]!.rows;
		return ok({ file: { fileName, contentType: CSV_CONTENT_TYPE, body: toCsv({ header: (header ?? []).map(String), rows }) } });
	}
	const workbook = await toXlsx(sheets.map((s) => ({ name: s.name, header: (s.rows[0] ?? []).map(String), rows: s.rows.slice(1) })));
	return ok({ file: { fileName, contentType: XLSX_CONTENT_TYPE, body: new Uint8Array(workbook) } });
}

import type { Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { authoriseExport, authoriseReport, mayManageProgramme, refuse } from '../auth/policy';
import type { Actor } from '../auth/session';
import { schoolPhases, type SchoolPhase, type SchoolTown } from '../db/schema';
import { CSV_CONTENT_TYPE, toCsv } from '../exports/csv';
import type { ExportFile } from '../exports/file';
import { XLSX_CONTENT_TYPE, toXlsx } from '../exports/xlsx';
import { outcomeSummaries } from '../outcomes/outcomes.summary';
import { hasErrors, invalid, notFound, ok, refused, type Result } from '../result';
import { suppressionThreshold } from './disclosure';
import { exportHeader, exportRows } from './export-table';
import { keptReport } from './kept';
import { outcomeTable, presentOutcome } from './outcome-table';
import { defaultReturnPeriod, NARRATIVE_MAX, pccReturn, pccReturnSheets, presentPccReturn, saveNarrative } from './pcc-return';
import type { NarrativeValues } from './pcc-return.schema';
import { quartersIn } from './periods';
import { presentTable, reportColumns } from './present';
import { figuresAsOf, filterData, periodData, recentAcademicYears, reportContext, selectionQuery, type ReportOptions, type Selection } from './report-page';
import { parseSort, sortRows } from './report-sort';
import { reportTable, type ReportTable } from './report-table';
import * as queries from './reports.queries';
import { emptyFigures, type Figures, type ReportFilter } from './reports.queries';

// Reports are aggregates: no young person's name ever reaches them. Admins and programme
// leads see the figures as they are; report viewers see counts of people below the
// threshold as `c` (with secondary suppression); a school contact sees their own school's
// figures as they are, beside the district's, suppressed, and nothing of any other school.

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
		.filter(
			(s) =>
				(!selection.schoolId || s.id === selection.schoolId) &&
				(!selection.phase || s.phase === selection.phase) &&
				(!selection.town || s.town === selection.town)
		)
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
		.filter(
			(s) =>
				(!selection.schoolId || s.id === selection.schoolId) &&
				(!selection.phase || s.phase === selection.phase) &&
				(!selection.town || s.town === selection.town)
		)
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
	await authoriseReport(db, actor, 'school', schoolId);
	const school = options.schools.find((s) => s.id === schoolId);
	if (!school) return refuse(db, actor, { entityType: 'school', entityId: schoolId });
	return keptReport(db, `school ${schoolId} ${actor.role} ${JSON.stringify(selection)}`, () => schoolReportOf(db, actor, school, selection, options));
}

async function schoolReportOf(
	db: Db,
	actor: Actor,
	school: ReportOptions['schools'][number],
	selection: Selection,
	options: ReportOptions
): Promise<SchoolReport> {
	const schoolId = school.id;
	const districtFilter: ReportFilter = {
		from: selection.period.from,
		to: selection.period.to,
		periodKind: selection.period.kind,
		...(selection.programmeId ? { programmeIds: [selection.programmeId] } : {})
	};
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
	const context = await reportContext(db, actor, params, ['programme', 'phase', 'town']);
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
	const context = await reportContext(db, actor, params, ['programme', 'school', 'phase', 'town']);
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
	const context = await reportContext(db, actor, params, ['programme', 'school', 'phase', 'town']);
	if (hasErrors(context.errors)) return invalid(context.errors);
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
	const context = await reportContext(db, actor, params, ['programme']);
	const period = periodData(context);
	const report = await schoolReport(db, actor, schoolId, period ? context.selection : { period: context.selection.period }, context.options);
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
	const context = await reportContext(db, actor, params, ['school', 'phase', 'town']);
	const programme = context.options.programmes.find((p) => p.id === programmeId);
	if (!programme) notFound();
	const period = periodData(context);
	const selection = { ...context.selection, programmeId };
	// The overview authorises the reader (admins, leads and report viewers).
	const overview = await districtOverview(db, actor, selection, context.options);
	const canDrillDown = await mayManageProgramme(db, actor, programmeId);
	const sessions = period && canDrillDown ? await programmeSessions(db, actor, programmeId, selection) : null;
	const table = presentTable(overview.programmes);
	return {
		filter: filterData(context),
		period,
		asOf: await figuresAsOf(db, context),
		programme: { id: programme.id, name: programme.name, priority: programme.partnership_priority, tags: programme.pcc_tags },
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
	const context = await reportContext(db, actor, params, ['programme', 'school', 'phase', 'town'], recentAcademicYears());
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

/** The choices of the return to the PCC: its period (a financial year unless chosen) and perhaps one programme. */
async function returnContext(db: Db, actor: Actor, params: URLSearchParams) {
	await authoriseReport(db, actor, 'pcc_return');
	return reportContext(db, actor, params, ['programme'], defaultReturnPeriod());
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
	const context = await returnContext(db, actor, params);
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

import { sql } from 'kysely';
import type { Db } from '../db';
import type { YearGroup } from '../db/schema';
import { holdsPlaces } from './attendance.queries';

const yearGroupOrder = sql`array_position(array['R','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10','Y11','Y12','Y13','parents']::text[], cell.year_group)`;

/**
 * One workstation's register: each school and year group holding places at the session (and
 * any counted here before, kept even if the booking has since gone), with its confirmed places
 * (0 once the booking has gone) and the count saved at this station, if any, with its version
 * and who saved it when.
 */
export async function listStationCells(db: Db, sessionId: string, stationId: string) {
	const places = db
		.selectFrom('booking as b')
		.select(['b.school_id', 'b.year_group', sql<number>`sum(b.confirmed_places)::int`.as('places')])
		.where('b.session_id', '=', sessionId)
		.where(holdsPlaces)
		.groupBy(['b.school_id', 'b.year_group']);
	const cells = db
		.selectFrom('booking as b')
		.select(['b.school_id', 'b.year_group'])
		.where('b.session_id', '=', sessionId)
		.where(holdsPlaces)
		.union(db.selectFrom('station_headcount').select(['school_id', 'year_group']).where('session_id', '=', sessionId).where('station_id', '=', stationId));
	return db
		.selectFrom(cells.as('cell'))
		.innerJoin('school', 'school.id', 'cell.school_id')
		.leftJoin(places.as('p'), (join) => join.onRef('p.school_id', '=', 'cell.school_id').onRef('p.year_group', '=', 'cell.year_group'))
		.leftJoin('station_headcount as h', (join) =>
			join
				.onRef('h.school_id', '=', 'cell.school_id')
				.onRef('h.year_group', '=', 'cell.year_group')
				.on('h.session_id', '=', sessionId)
				.on('h.station_id', '=', stationId)
		)
		.leftJoin('app_user as counter', 'counter.id', 'h.recorded_by')
		.select(['cell.school_id', 'school.name as school_name', 'cell.year_group', sql<number>`coalesce(p.places, 0)::int`.as('places'), 'h.count'])
		.select(['h.version', 'h.recorded_at', 'counter.name as recorded_by_name'])
		.orderBy('school.name')
		.orderBy('cell.school_id')
		.orderBy(yearGroupOrder)
		.execute();
}

export type StationCell = Awaited<ReturnType<typeof listStationCells>>[number];

/** Every workstation of a session in order, with the total counted there (null when nothing is). */
export async function listStationTotals(db: Db, sessionId: string) {
	return db
		.selectFrom('station as st')
		.leftJoin('station_headcount as h', (join) => join.onRef('h.station_id', '=', 'st.id').on('h.session_id', '=', sessionId))
		.select(['st.id', 'st.name', 'st.theme', sql<number | null>`sum(h.count)::int`.as('total')])
		.where('st.session_id', '=', sessionId)
		.groupBy('st.id')
		.orderBy('st.position')
		.execute();
}

/**
 * The session's own headcount: the sum of its headcounts, or for a named register those
 * marked present or late. Null while nothing is recorded.
 */
export async function findSessionHeadcount(db: Db, sessionId: string, named: boolean): Promise<number | null> {
	if (named) {
		const row = await db
			.selectFrom('attendance_mark')
			.select(sql<number | null>`case when count(*) = 0 then null else (count(*) filter (where counts_as_attended(status)))::int end`.as('n'))
			.where('session_id', '=', sessionId)
			.executeTakeFirst();
		return row?.n ?? null;
	}
	const row = await db
		.selectFrom('attendance_headcount')
		.select(sql<number | null>`sum(count)::int`.as('n'))
		.where('session_id', '=', sessionId)
		.executeTakeFirst();
	return row?.n ?? null;
}

export async function hasStationHeadcounts(db: Db, sessionId: string): Promise<boolean> {
	const row = await db
		.selectFrom('station_headcount')
		.select(sql`1`.as('one'))
		.where('session_id', '=', sessionId)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

export interface StationCountRow {
	schoolId: string;
	yearGroup: YearGroup;
	count: number;
}

/** Saves a station's counts in one statement; an unchanged count keeps who recorded it and when. */
export async function upsertStationHeadcounts(
	db: Db,
	sessionId: string,
	stationId: string,
	counts: StationCountRow[],
	recordedBy: string,
	at: Date
): Promise<void> {
	if (counts.length === 0) return;
	await db
		.insertInto('station_headcount')
		.values(
			counts.map((c) => ({
				session_id: sessionId,
				station_id: stationId,
				school_id: c.schoolId,
				year_group: c.yearGroup,
				count: c.count,
				recorded_by: recordedBy,
				recorded_at: at
			}))
		)
		.onConflict((oc) =>
			oc
				.columns(['session_id', 'station_id', 'school_id', 'year_group'])
				.doUpdateSet((eb) => ({
					count: eb.ref('excluded.count'),
					recorded_by: eb.ref('excluded.recorded_by'),
					recorded_at: eb.ref('excluded.recorded_at'),
					version: sql<number>`station_headcount.version + 1`
				}))
				.where(sql<boolean>`station_headcount.count is distinct from excluded.count`)
		)
		.execute();
}

export async function deleteStationHeadcounts(
	db: Db,
	sessionId: string,
	stationId: string,
	cells: { schoolId: string; yearGroup: YearGroup }[]
): Promise<void> {
	if (cells.length === 0) return;
	await db
		.deleteFrom('station_headcount')
		.where('session_id', '=', sessionId)
		.where('station_id', '=', stationId)
		.where((eb) => eb.or(cells.map((c) => eb.and([eb('school_id', '=', c.schoolId), eb('year_group', '=', c.yearGroup)]))))
		.execute();
}

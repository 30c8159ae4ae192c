import { authoriseExport } from '../auth/policy';
import type { Actor } from '../auth/session';
import { insertAuditEvent } from '../audit/audit.queries';
import type { Db } from '../db';
import { CSV_CONTENT_TYPE, toCsv, type ExportTable } from '../exports/csv';
import type { ExportFile } from '../exports/file';
import { XLSX_CONTENT_TYPE, toXlsx } from '../exports/xlsx';
import { notFound } from '../result';
import { findSchool } from '../schools/schools.queries';
import { londonParts } from '../time';
import { academicYearOf, yearGroupIn } from '../young-people/young-people.schema';
import { yearGroupLabels } from '../../year-groups';
import { defaultMarkLabels } from '../../attendance';
import { bookingStatusLabel } from '../../bookings';
import * as queries from './school-records.queries';

// A school's own records out: its young people, its bookings and its pupils' attendance, as CSV
// or XLSX (formula-escaped by the exports room), for the school office's own files. A school
// contact downloads their own school's; an admin any school's, for them. Every download is
// audited, by school and kind, never with a name.

export const schoolRecordKinds = ['young-people', 'bookings', 'attendance'] as const;
export type SchoolRecordKind = (typeof schoolRecordKinds)[number];
export type ExportFormat = 'csv' | 'xlsx';

const yesNo = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');
const day = (instant: Date) => ({ day: londonParts(instant).date });
const time = (instant: Date) => londonParts(instant).time;

async function table(db: Db, schoolId: string, kind: SchoolRecordKind, now: Date): Promise<ExportTable> {
	const academicYear = academicYearOf(now);
	const yearGroup = (receptionYear: number) => {
		const group = yearGroupIn(receptionYear, academicYear);
		return group ? yearGroupLabels[group] : 'Left school';
	};
	switch (kind) {
		case 'young-people':
			// The import template's columns, so the file can go back in after an edit.
			return {
				header: ['first_name', 'last_name', 'year_group', 'gender', 'sen', 'free_school_meals'],
				rows: (await queries.listSchoolYoungPeople(db, schoolId)).map((p) => [
					p.first_name,
					p.last_name,
					yearGroupIn(p.reception_year, academicYear) ?? '',
					p.gender ?? '',
					yesNo(p.sen),
					yesNo(p.free_school_meals)
				])
			};
		case 'bookings':
			return {
				header: [
					'Programme',
					'Date',
					'Starts',
					'Ends',
					'Venue',
					'Year group',
					'Places asked for',
					'Places confirmed',
					'Status',
					'Contact',
					'Booked on',
					'Reference'
				],
				rows: (await queries.listSchoolBookings(db, schoolId)).map((b) => [
					b.programme,
					day(b.starts_at),
					time(b.starts_at),
					time(b.ends_at),
					b.venue,
					yearGroupLabels[b.year_group],
					b.places,
					b.confirmed_places,
					bookingStatusLabel[b.status],
					b.contact_name,
					day(b.created_at),
					b.id
				])
			};
		case 'attendance':
			return {
				header: ['Programme', 'Date', 'Venue', 'First name', 'Last name', 'Year group now', 'Mark'],
				rows: (await queries.listSchoolAttendance(db, schoolId)).map((m) => [
					m.programme,
					day(m.starts_at),
					m.venue,
					m.first_name,
					m.last_name,
					yearGroup(m.reception_year),
					defaultMarkLabels[m.status]
				])
			};
	}
}

const sheetNames: Record<SchoolRecordKind, string> = { 'young-people': 'Young people', bookings: 'Bookings', attendance: 'Attendance' };

/** One kind of a school's records as a file; another school's is a 404, audited. */
export async function schoolRecordsDownload(
	db: Db,
	actor: Actor,
	schoolId: string,
	kind: SchoolRecordKind,
	format: ExportFormat,
	now = new Date()
): Promise<{ file: ExportFile }> {
	const target = { entityType: 'school', entityId: schoolId };
	await authoriseExport(db, actor, 'school_records', schoolId);
	if (!(await findSchool(db, schoolId))) notFound();
	const rows = await table(db, schoolId, kind, now);
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'school_records.downloaded',
		...target,
		detail: { kind, format, rows: rows.rows.length },
		address: actor.address
	});
	const fileName = `${kind}-${londonParts(now).date}.${format}`;
	if (format === 'csv') return { file: { fileName, contentType: CSV_CONTENT_TYPE, body: toCsv(rows) } };
	const workbook = await toXlsx([{ name: sheetNames[kind], ...rows }]);
	return { file: { fileName, contentType: XLSX_CONTENT_TYPE, body: new Uint8Array(workbook) } };
}

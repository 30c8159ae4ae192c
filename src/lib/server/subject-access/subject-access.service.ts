import { strToU8, zipSync } from 'fflate';
import type { Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { defaultLevelLabels } from '../awards/awards.rules';
import { authoriseSubjectAccess } from '../auth/policy';
import type { Actor } from '../auth/session';
import { toCsv, type ExportTable } from '../exports/csv';
import type { ExportFile } from '../exports/file';
import type { ExportValue } from '../exports/formula';
import { UUID } from '../forms';
import { londonParts } from '../time';
import * as people from '../young-people/young-people.queries';
import { academicYearOf, yearGroupIn } from '../young-people/young-people.schema';
import * as queries from './subject-access.queries';
import { escapeHtml } from '../../html';

// A subject access request answered: everything the app holds about one young person, as a
// ZIP of a readable HTML summary, one CSV per kind of record and the whole as JSON. Admins may
// download it for anyone, a school contact for their own school's young people; anyone else
// gets a 404, audited. Another young person (their mentor or mentee) is never named in it.
// Reaching this at all needs the second factor where the role requires one: the session gate
// (web/second-factor-gate.ts) lets no half-signed-in session through. The download is audited.

export const ZIP_CONTENT_TYPE = 'application/zip';

const iso = (value: Date | string | null) => (value instanceof Date ? value.toISOString() : value);
const yesNo = (value: boolean | null) => (value === null ? 'not recorded' : value ? 'yes' : 'no');

interface Section {
	/** The CSV's name, without .csv. */
	file: string;
	title: string;
	table: ExportTable;
}

async function gather(db: Db, id: string, now: Date) {
	const found = (await people.findYoungPersonWithSchool(db, id))!;
	const [enrolments, marks, awards, pairs, meetings, days, answers, audit] = await Promise.all([
		people.listEnrolmentsOfYoungPerson(db, id),
		people.listMarksOfYoungPerson(db, id),
		people.listAwardsOfYoungPerson(db, id),
		queries.listPairsOfYoungPerson(db, id),
		queries.listMeetingsOfYoungPerson(db, id),
		queries.listAwardDaysOfYoungPerson(db, id),
		queries.listAnswersOfYoungPerson(db, id),
		queries.listAuditAboutYoungPerson(db, id)
	]);
	const record = {
		id: found.id,
		first_name: found.first_name,
		last_name: found.last_name,
		school: found.school_name,
		year_group: yearGroupIn(found.reception_year, academicYearOf(now)) ?? 'left school (past Year 13)',
		gender: found.gender ?? 'not recorded',
		special_educational_needs: yesNo(found.sen),
		free_school_meals: yesNo(found.free_school_meals),
		archived_at: iso(found.archived_at),
		anonymised_at: iso(found.anonymised_at)
	};
	const table = (header: string[], rows: ExportValue[][]): ExportTable => ({ header, rows });
	const sections: Section[] = [
		{ file: 'record', title: 'Record', table: table(Object.keys(record), [Object.values(record)]) },
		{
			file: 'enrolments',
			title: 'Enrolments in programmes',
			table: table(
				['programme', 'role', 'stage', 'started_on', 'ended_on'],
				enrolments.map((e) => [e.programme_name, e.role, e.stage, e.started_on, e.ended_on])
			)
		},
		{
			file: 'attendance',
			title: 'Attendance at sessions',
			table: table(
				['session_start', 'programme', 'station', 'mark'],
				marks.map((m) => [iso(m.starts_at), m.programme_name, m.station_name, m.status])
			)
		},
		{
			file: 'mentoring-pairs',
			title: 'Mentoring pairs (the other young person is not named)',
			table: table(
				['pair', 'programme', 'academic_year', 'role', 'paired_at', 'ended_on', 'end_reason'],
				pairs.map((p) => [
					p.id,
					p.programme_name,
					`${p.academic_year}-${String((p.academic_year + 1) % 100).padStart(2, '0')}`,
					p.role,
					iso(p.created_at),
					p.ended_on,
					p.end_reason
				])
			)
		},
		{
			file: 'mentoring-meetings',
			title: 'Mentoring meetings',
			table: table(
				['pair', 'met_on', 'minutes', 'topics', 'note'],
				meetings.map((m) => [m.pair_id, m.met_on, m.minutes, m.topics.join('; '), m.note])
			)
		},
		{
			file: 'awards',
			title: 'Award progress',
			table: table(
				['award', 'programme', 'group', 'level', 'days_logged', 'achieved_on'],
				awards.map((a) => [a.id, a.programme_name, a.group_name, a.level_label ?? defaultLevelLabels[a.level], a.days, a.achieved_on])
			)
		},
		{
			file: 'award-days',
			title: 'Award days',
			table: table(
				['award', 'day', 'challenges'],
				days.map((d) => [d.award_participant_id, d.day, d.challenges.join('; ')])
			)
		},
		{
			file: 'questionnaire-answers',
			title: 'Questionnaire answers linked to them',
			table: table(
				['questionnaire', 'programme', 'moment', 'answered_on', 'question', 'score'],
				answers.map((a) => [a.questionnaire_id, a.programme_name, a.moment, a.answered_on, a.wording, a.score])
			)
		},
		{
			file: 'audit',
			title: 'Audit log entries about them',
			table: table(
				['at', 'action', 'record_type', 'record', 'detail'],
				audit.map((e) => [iso(e.at), e.action, e.entity_type, e.entity_id, JSON.stringify(e.detail)])
			)
		}
	];
	return { record, sections };
}

function summaryHtml(name: string, generated: string, sections: Section[]): string {
	const cell = (v: ExportValue) => escapeHtml(v === null || v === undefined ? '' : String(v));
	const body = sections
		.map(({ title, table, file }) => {
			const rows = table.rows.length
				? `<table><thead><tr>${table.header.map((h) => `<th scope="col">${cell(h)}</th>`).join('')}</tr></thead><tbody>${table.rows
						.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`)
						.join('')}</tbody></table>`
				: '<p>None held.</p>';
			return `<h2>${escapeHtml(title)}</h2><p>Also in ${file}.csv.</p>${rows}`;
		})
		.join('\n');
	return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Personal data held about ${escapeHtml(name)}</title>
<style>body{font-family:Arial,sans-serif;margin:2rem;max-width:60rem;color:#0b0c0c}table{border-collapse:collapse;margin-bottom:1rem}th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left;vertical-align:top}</style>
</head><body><main>
<h1>Personal data held about ${escapeHtml(name)}</h1>
<p>From the youth programmes tracker of the Dover District Safer Stronger Communities Partnership, on ${escapeHtml(generated)} (UK time). Each section below is also a CSV file in this ZIP, and everything is in everything.json.</p>
<p>Certificates, exports and emails that were downloaded or sent before this date are held by whoever received them, not in the app.</p>
${body}
</main></body></html>
`;
}

/** The ZIP of everything held about a young person; outside the actor's reach a 404, audited. The download itself is audited. */
export async function subjectAccessExport(db: Db, actor: Actor, id: string, now = new Date()): Promise<{ file: ExportFile }> {
	const found = await authoriseSubjectAccess(db, actor, id, UUID.test(id) ? await people.findYoungPersonWithSchool(db, id) : undefined);
	const { record, sections } = await gather(db, found.id, now);
	const { date, time } = londonParts(now);
	const files: Record<string, Uint8Array> = {
		'summary.html': strToU8(summaryHtml(`${record.first_name} ${record.last_name}`, `${date} ${time}`, sections)),
		'everything.json': strToU8(
			JSON.stringify(
				Object.fromEntries(sections.map((s) => [s.file, s.table.rows.map((row) => Object.fromEntries(s.table.header.map((h, i) => [h, row[i] ?? null])))])),
				null,
				2
			)
		)
	};
	for (const s of sections) files[`${s.file}.csv`] = strToU8(toCsv(s.table));
	const zip = zipSync(files, { level: 6, mtime: now });
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'young_person.subject_access_downloaded',
		entityType: 'young_person',
		entityId: found.id,
		detail: { bytes: zip.byteLength, files: Object.keys(files).length },
		address: actor.address
	});
	return { file: { fileName: `subject-access-${found.id}-${date}.zip`, contentType: ZIP_CONTENT_TYPE, body: new Uint8Array(zip) } };
}

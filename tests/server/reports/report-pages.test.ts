import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/server/auth/session';
import { CSV_CONTENT_TYPE } from '../../../src/lib/server/exports/csv';
import { XLSX_CONTENT_TYPE } from '../../../src/lib/server/exports/xlsx';
import { financialYearOfDate } from '../../../src/lib/server/reports/periods';
import {
	bySchoolDownload,
	overviewPage,
	pccReturnDownload,
	pccReturnPage,
	programmePage,
	saveReturnNarrative,
	schoolsPage
} from '../../../src/lib/server/reports/reports.service';
import { londonParts } from '../../../src/lib/server/time';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeProgramme, makeSchool } from '../../support/factories';

// The use cases behind the report pages and downloads: what a route used to decide itself
// (who is sent elsewhere, when a download is refused, what each download writes to the audit).

const t = useTestDatabase();
const params = (query: string) => new URLSearchParams(query);
const YEAR_2018 = 'period=academic&year=2018';

let admin: Actor;
let programme: { id: string; name: string };
let school: { id: string; name: string };
beforeEach(async () => {
	admin = await makeActor(t.db, { role: 'admin' });
	programme = await makeProgramme(t.db);
	school = await makeSchool(t.db);
});

describe('the report pages and downloads', () => {
	it("sends a school contact from the district's pages and download to their own school's page", async () => {
		const contact = await makeActor(t.db, { role: 'school', schoolId: school.id });
		const elsewhere = { ok: false, code: 'refused', reason: 'own_school_only' };
		expect(await overviewPage(t.db, contact, params(YEAR_2018))).toMatchObject(elsewhere);
		expect(await schoolsPage(t.db, contact, params(YEAR_2018))).toMatchObject(elsewhere);
		expect(await bySchoolDownload(t.db, contact, params(YEAR_2018))).toMatchObject(elsewhere);
		expect(await auditEvents(t.db, 'report.downloaded')).toEqual([]);
	});

	it('refuses a download while the choices have errors, with their messages, and writes nothing to the audit', async () => {
		expect(await bySchoolDownload(t.db, admin, params('period=academic&year=20x8'))).toMatchObject({
			ok: false,
			code: 'invalid',
			errors: { year: expect.stringContaining('4 digits') }
		});
		expect(await pccReturnDownload(t.db, admin, params('period=financial&year=20x8'), 'csv')).toMatchObject({
			ok: false,
			code: 'invalid',
			errors: { year: expect.stringContaining('4 digits') }
		});
		expect(await auditEvents(t.db)).toEqual([]);
	});

	it('downloads the by-school report as CSV, named for its period, and audits the download', async () => {
		const result = await bySchoolDownload(t.db, admin, params(YEAR_2018));
		if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
		expect(result.file).toMatchObject({ fileName: 'report-by-school-2018-09-01-to-2019-08-31.csv', contentType: CSV_CONTENT_TYPE });
		expect(result.file.body).toMatch(/^\uFEFFSchool,Phase,Town,Sessions delivered,/);
		expect(result.file.body).toContain(`${school.name},secondary,Dover,`);
		expect(await auditEvents(t.db, 'report.downloaded')).toMatchObject([
			{ actor_id: admin.id, entity_type: 'report', detail: { report: 'by_school', from: '2018-09-01', to: '2019-08-31' } }
		]);
	});

	it('downloads the return to the PCC as CSV or a workbook, for this financial year unless asked, and audits each with its format', async () => {
		const year = financialYearOfDate(londonParts(new Date()).date);
		const csv = await pccReturnDownload(t.db, admin, params(''), 'csv');
		if (!csv.ok) throw new Error(`refused: ${JSON.stringify(csv)}`);
		expect(csv.file).toMatchObject({ fileName: `pcc-return-${year}-04-01-to-${year + 1}-03-31.csv`, contentType: CSV_CONTENT_TYPE });
		expect(csv.file.body).toMatch(/^\uFEFFProgramme,Partnership priority,PCC plan priorities,/);
		expect(csv.file.body).toContain(`${programme.name},Safer Communities,`);
		const xlsx = await pccReturnDownload(t.db, admin, params(YEAR_2018), 'xlsx');
		if (!xlsx.ok) throw new Error(`refused: ${JSON.stringify(xlsx)}`);
		expect(xlsx.file).toMatchObject({ fileName: 'pcc-return-2018-09-01-to-2019-08-31.xlsx', contentType: XLSX_CONTENT_TYPE });
		// A workbook is a zip file, which starts "PK".
		expect(Buffer.from(xlsx.file.body).subarray(0, 2).toString()).toBe('PK');
		const audits = await auditEvents(t.db, 'pcc_return.downloaded');
		expect(audits.map((a) => a.detail)).toEqual([
			{ format: 'csv', from: `${year}-04-01`, to: `${year + 1}-03-31` },
			{ format: 'xlsx', from: '2018-09-01', to: '2019-08-31' }
		]);
	});

	it("saves a programme's narrative for the return's period, and none while the choices have errors", async () => {
		const values = { programmeId: programme.id, narrative: 'Three evening sessions.' };
		expect(await saveReturnNarrative(t.db, admin, params('period=academic&year=20x8'), values)).toMatchObject({
			ok: false,
			code: 'invalid',
			errors: { year: expect.any(String) }
		});
		expect(await saveReturnNarrative(t.db, admin, params(YEAR_2018), values)).toEqual({ ok: true });
		const page = await pccReturnPage(t.db, admin, params(YEAR_2018));
		expect(page.pcc?.programmes.find((p) => p.id === programme.id)).toMatchObject({ narrative: 'Three evening sessions.', canEdit: true });
		const other = await pccReturnPage(t.db, admin, params('period=academic&year=2019'));
		expect(other.pcc?.programmes.find((p) => p.id === programme.id)?.narrative).toBe('');
	});

	it("gives a programme's page, with its sessions for its managers, and a 404 for an id that is no programme", async () => {
		const page = await programmePage(t.db, admin, programme.id, params(YEAR_2018));
		expect(page).toMatchObject({ programme: { id: programme.id, name: programme.name }, canDrillDown: true, sessions: [] });
		await expect(programmePage(t.db, admin, randomUUID(), params(YEAR_2018))).rejects.toMatchObject({ status: 404 });
	});
});

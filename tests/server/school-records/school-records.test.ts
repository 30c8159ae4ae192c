import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { schoolRecordsDownload } from '../../../src/lib/server/school-records/school-records.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeBooking, makeSession } from '../../support/factories';
import { auditText, IN_2026_27, makeSchoolWorld, makeYoungPerson } from '../../support/young-people-world';

// A school's own records out: its young people, bookings and attendance, and no one else's.

const t = useTestDatabase();

async function world() {
	const { school, contact, otherContact } = await makeSchoolWorld(t.db);
	const session = await makeSession(t.db, { starts_at: new Date('2026-11-20T09:00:00Z') });
	await makeBooking(t.db, { session_id: session.id, school_id: school.id, created_by: contact.id, places: 30 });
	await makeBooking(t.db, { session_id: session.id, school_id: otherContact.schoolId!, created_by: otherContact.id, places: 12 });
	const zoe = await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Zoë', last_name: 'O’Connor', reception_year: 2018 });
	const trick = await makeYoungPerson(t.db, {
		school_id: school.id,
		first_name: '=HYPERLINK("http://evil.example")',
		last_name: 'Smith',
		reception_year: 2018
	});
	const other = await makeYoungPerson(t.db, { school_id: otherContact.schoolId!, first_name: 'Tom', last_name: 'Baker' });
	await makeYoungPerson(t.db, { school_id: school.id, first_name: 'Gone', last_name: 'Archived', archived_at: new Date() });
	const marks = [
		[zoe.id, 'present'],
		[trick.id, 'late'],
		[other.id, 'present']
	] as const;
	await t.db
		.insertInto('attendance_mark')
		.values(marks.map(([young_person_id, status]) => ({ session_id: session.id, young_person_id, status, recorded_by: contact.id })))
		.execute();
	return { school, contact, otherContact };
}

const text = (body: string | Uint8Array) => (typeof body === 'string' ? body : new TextDecoder().decode(body));

describe('schoolRecordsDownload', () => {
	it("gives a school contact their own young people in the import template's columns, formulas escaped, archived left out", async () => {
		const { school, contact } = await world();
		const { file } = await schoolRecordsDownload(t.db, contact, school.id, 'young-people', 'csv', IN_2026_27);
		expect(file.contentType).toBe('text/csv; charset=utf-8');
		expect(text(file.body)).toBe(
			'\uFEFFfirst_name,last_name,year_group,gender,sen,free_school_meals\r\n' +
				'Zoë,O’Connor,Y8,,,\r\n' +
				`"'=HYPERLINK(""http://evil.example"")",Smith,Y8,,,\r\n`
		);
	});

	it('lists only their own bookings and their own pupils on registers', async () => {
		const { school, contact } = await world();
		const bookings = text((await schoolRecordsDownload(t.db, contact, school.id, 'bookings', 'csv', IN_2026_27)).file.body);
		expect(bookings.trim().split('\r\n')).toHaveLength(2);
		expect(bookings).toContain(',30,30,Confirmed,');
		// Dates as people write them, not ISO: the session's day and the day it was booked.
		expect(bookings.split('\r\n')[1]).toMatch(/^[^,]+,\d{1,2} [A-Z][a-z]{2} \d{4},\d\d:\d\d,\d\d:\d\d,.*,\d{1,2} [A-Z][a-z]{2} \d{4},[0-9a-f-]{36}$/);
		const attendance = text((await schoolRecordsDownload(t.db, contact, school.id, 'attendance', 'csv', IN_2026_27)).file.body);
		expect(attendance).toContain('Zoë,O’Connor,Year 8,Present');
		expect(attendance).not.toContain('Baker');
	});

	it('writes a workbook that reads back', async () => {
		const { school, contact } = await world();
		const { file } = await schoolRecordsDownload(t.db, contact, school.id, 'attendance', 'xlsx', IN_2026_27);
		const [sheet] = await readXlsxFile(Buffer.from(file.body as Uint8Array));
		expect(sheet!.sheet).toBe('Attendance');
		expect(sheet!.data).toHaveLength(3);
		expect(sheet!.data[0]).toEqual(['Programme', 'Date', 'Venue', 'First name', 'Last name', 'Year group now', 'Mark']);
		// The date is a real date cell (it sorts as one in Excel), for the session's UK day at midnight, with no time zone.
		const day = sheet!.data[1]![1] as unknown as Date;
		expect(day).toBeInstanceOf(Date);
		expect(day.toISOString()).toMatch(/T00:00:00\.000Z$/);
	});

	it("refuses another school's contact, a lead and a viewer with a 404, audited; lets an admin download for the school", async () => {
		const { school, otherContact } = await world();
		for (const actor of [otherContact, await makeActor(t.db, { role: 'lead' }), await makeActor(t.db, { role: 'viewer' })]) {
			await expect(schoolRecordsDownload(t.db, actor, school.id, 'young-people', 'csv', IN_2026_27)).rejects.toMatchObject({ status: 404 });
		}
		expect(await auditEvents(t.db, 'access.refused')).toHaveLength(3);
		const admin = await makeActor(t.db);
		expect((await schoolRecordsDownload(t.db, admin, school.id, 'bookings', 'xlsx', IN_2026_27)).file.fileName).toMatch(/^bookings-\d{4}-\d\d-\d\d\.xlsx$/);
		await expect(schoolRecordsDownload(t.db, admin, crypto.randomUUID(), 'bookings', 'csv', IN_2026_27)).rejects.toMatchObject({ status: 404 });
	});

	it('audits each download by school, kind and format, never with a name', async () => {
		const { school, contact } = await world();
		await schoolRecordsDownload(t.db, contact, school.id, 'attendance', 'csv', IN_2026_27);
		expect(await auditEvents(t.db, 'school_records.downloaded')).toMatchObject([
			{ actor_id: contact.id, entity_type: 'school', entity_id: school.id, detail: { kind: 'attendance', format: 'csv', rows: 2 } }
		]);
		expect(await auditText(t.db)).not.toMatch(/Zoë|O’Connor/);
	});
});

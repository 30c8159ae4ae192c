import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { ownPupilCertificateFor } from '../../../src/lib/server/awards/awards.service';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { useTestDatabase } from '../../support/database';
import { actorFor, auditEvents } from '../../support/factories';

// A school contact sees their own pupils' awards, and may download their certificates; no
// one else's.

const t = useTestDatabase();
const csv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');

async function contactOf(email: string) {
	return actorFor(await t.db.selectFrom('app_user').selectAll().where('email', '=', email).executeTakeFirstOrThrow());
}

async function participants(schoolName: string, signedOff: boolean) {
	return t.db
		.selectFrom('award_participant as ap')
		.innerJoin('young_person as yp', 'yp.id', 'ap.young_person_id')
		.innerJoin('school as s', 's.id', 'yp.school_id')
		.select(['ap.id', 'ap.young_person_id'])
		.where('s.name', '=', schoolName)
		.where('ap.achieved_on', signedOff ? 'is not' : 'is', null)
		.execute();
}

describe("a school contact's copy of a certificate", () => {
	it("gives a school contact their own pupil's certificate as a PDF, audited with ids only", async () => {
		await seedDemo(t.db, csv);
		const contact = await contactOf('school@demo.test');
		const [award] = await participants('Astor College', true);
		const { bytes, fileName } = await ownPupilCertificateFor(t.db, contact, award!.young_person_id, award!.id);
		expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThan(0);
		expect(fileName).toMatch(/^john-muir-award-.*\.pdf$/);
		const [issued] = await auditEvents(t.db, 'award.certificate_issued');
		expect(issued).toMatchObject({ entity_id: award!.id });
	});

	it("is a 404 for another school's pupil, an award not yet signed off, or a young person it does not belong to", async () => {
		await seedDemo(t.db, csv);
		const contact = await contactOf('school@demo.test');
		const [elsewhere] = await participants('Dover Grammar School for Boys', true);
		const [own, another, unfinished] = await participants('Astor College', true);
		// One still in progress: not signed off.
		await t.db.updateTable('award_participant').set({ signed_off_by: null, signed_off_at: null, achieved_on: null }).where('id', '=', unfinished!.id).execute();
		for (const [youngPersonId, participantId] of [
			[elsewhere!.young_person_id, elsewhere!.id],
			[unfinished!.young_person_id, unfinished!.id],
			[another!.young_person_id, own!.id]
		]) {
			await expect(ownPupilCertificateFor(t.db, contact, youngPersonId!, participantId!)).rejects.toMatchObject({ status: 404 });
		}
		expect((await auditEvents(t.db, 'access.refused')).length).toBeGreaterThanOrEqual(2);
		const lead = await contactOf('lead@demo.test');
		await expect(ownPupilCertificateFor(t.db, lead, own!.young_person_id, own!.id)).rejects.toMatchObject({ status: 404 });
	});
});

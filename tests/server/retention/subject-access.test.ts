import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { eraseYoungPerson } from '../../../src/lib/server/retention/retention.service';
import { subjectAccessExport } from '../../../src/lib/server/subject-access/subject-access.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { makePersonWithHistory } from '../../support/retention-world';

const t = useTestDatabase();
const NOW = new Date('2026-12-03T10:00:00Z');
const notFound = expect.objectContaining({ status: 404 });

function unzip(body: string | Uint8Array) {
	const files = unzipSync(body as Uint8Array);
	return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

describe('subjectAccessExport', () => {
	it('gives an admin a ZIP of everything held: a readable summary, a CSV of each kind of record and the whole as JSON, audited', async () => {
		const world = await makePersonWithHistory(t.db);
		const { file } = await subjectAccessExport(t.db, world.admin, world.person.id, NOW);

		expect(file.contentType).toBe('application/zip');
		expect(file.fileName).toBe(`subject-access-${world.person.id}-2026-12-03.zip`);
		const files = unzip(file.body);
		expect(Object.keys(files).sort()).toEqual(
			[
				'attendance.csv',
				'audit.csv',
				'award-days.csv',
				'awards.csv',
				'enrolments.csv',
				'everything.json',
				'mentoring-meetings.csv',
				'mentoring-pairs.csv',
				'questionnaire-answers.csv',
				'record.csv',
				'summary.html'
			].sort()
		);
		expect(files['summary.html']).toContain('<h1>Personal data held about Zebedee Quillfeather</h1>');
		expect(files['record.csv']).toContain('Zebedee,Quillfeather');
		const json = JSON.parse(files['everything.json']!);
		expect(json.record[0]).toMatchObject({ first_name: 'Zebedee', special_educational_needs: 'yes', free_school_meals: 'yes' });
		expect(json.attendance).toHaveLength(1);
		expect(json.enrolments).toMatchObject([{ role: 'mentee', stage: 'completed' }]);
		expect(json['mentoring-pairs']).toMatchObject([{ role: 'mentee', academic_year: '2021-22' }]);
		expect(json['mentoring-meetings']).toMatchObject([{ minutes: 45, topics: 'gangs' }]);
		expect(json.awards).toMatchObject([{ level: 'Discovery', days_logged: 4, achieved_on: '2022-05-01' }]);
		expect(json['award-days']).toHaveLength(4);
		expect(json['questionnaire-answers']).toMatchObject([{ moment: 'before', question: 'I know where to get help', score: 3 }]);
		expect(json.audit.map((e: { action: string }) => e.action)).toContain('note.added');
		// Their mentor is another young person: never named.
		expect(Object.values(files).join('\n')).not.toMatch(/Ottoline|Brackenbury/);
		expect(await auditEvents(t.db, 'young_person.subject_access_downloaded')).toMatchObject([
			{ actor_id: world.admin.id, entity_id: world.person.id, detail: { bytes: (file.body as Uint8Array).byteLength, files: 11 } }
		]);
	});

	it("gives the young person's own school contact the same, and anyone else a 404, audited", async () => {
		const world = await makePersonWithHistory(t.db);
		expect(unzip((await subjectAccessExport(t.db, world.contact, world.person.id, NOW)).file.body)['record.csv']).toContain('Quillfeather');
		const otherContact = await makeActor(t.db, { role: 'school' });
		const lead = await makeActor(t.db, { role: 'lead' });
		const viewer = await makeActor(t.db, { role: 'viewer' });
		for (const actor of [otherContact, lead, viewer]) await expect(subjectAccessExport(t.db, actor, world.person.id, NOW)).rejects.toEqual(notFound);
		await expect(subjectAccessExport(t.db, world.admin, crypto.randomUUID(), NOW)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'access.refused')).toHaveLength(4);
		expect(await auditEvents(t.db, 'young_person.subject_access_downloaded')).toHaveLength(1);
	});

	it('after erasure holds no name, only the anonymous record and what it counts', async () => {
		const world = await makePersonWithHistory(t.db);
		await eraseYoungPerson(t.db, world.admin, world.person.id, { reason: 'Parent asked' }, NOW);
		const files = unzip((await subjectAccessExport(t.db, world.admin, world.person.id, NOW)).file.body);
		expect(Object.values(files).join('\n')).not.toMatch(/Zebedee|Quillfeather/i);
		expect(JSON.parse(files['everything.json']!).attendance).toHaveLength(1);
	});
});

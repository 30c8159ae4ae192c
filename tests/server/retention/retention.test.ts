import { describe, expect, it } from 'vitest';
import { runRetention } from '../../../src/lib/server/retention/retention.service';
import { listYoungPeopleDue } from '../../../src/lib/server/retention/retention.queries';
import { appScheduler } from '../../../src/lib/server/scheduler/jobs';
import { updateProgramme } from '../../../src/lib/server/programmes/programmes.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeProgramme } from '../../support/factories';
import { everyRowAsText, makePersonWithHistory } from '../../support/retention-world';
import { makeYoungPerson } from '../../support/young-people-world';

const t = useTestDatabase();
const due = async (today: string) => (await listYoungPeopleDue(t.db, today)).map((d) => d.id);

// The history of makePersonWithHistory ends in 2021-22 (its last day is the pair's end, 30 June
// 2022): the academic year ends on 31 August 2022, so 3 years keep them until 31 August 2025.

describe('who is past every retention period', () => {
	it('keeps a young person until 31 August of their last activity’s academic year plus 3 years, and no longer', async () => {
		const world = await makePersonWithHistory(t.db);
		// The record itself counts from when it was last changed (today, in the test): make it old.
		await t.db
			.updateTable('young_person')
			.set({ updated_at: new Date('2020-01-01T12:00:00Z') })
			.execute();
		expect(await due('2025-08-31')).not.toContain(world.person.id);
		expect(await due('2025-09-01')).toContain(world.person.id);
	});

	it('waits for the longest period of the programmes they were in', async () => {
		const world = await makePersonWithHistory(t.db);
		await t.db
			.updateTable('young_person')
			.set({ updated_at: new Date('2020-01-01T12:00:00Z') })
			.execute();
		const admin = await makeActor(t.db, { role: 'admin' });
		const result = await updateProgramme(t.db, admin, world.awardProgramme.id, {
			name: world.awardProgramme.name,
			shape: 'award',
			description: '',
			partnershipPriority: 'Safer Communities',
			pccTags: '',
			yearGroups: ['Y8'],
			registerKind: 'named',
			leadIds: [],
			retentionYears: '6'
		});
		expect(result.ok).toBe(true);
		expect(await due('2025-09-01')).not.toContain(world.person.id);
		expect(await due('2028-08-31')).not.toContain(world.person.id);
		expect(await due('2028-09-01')).toContain(world.person.id);
		expect(await auditEvents(t.db, 'programme.updated')).toMatchObject([
			{ entity_id: world.awardProgramme.id, detail: { retentionYears: { from: 3, to: 6 } } }
		]);
	});

	it('keeps someone on a school list who never came to anything for 3 years after the record last changed', async () => {
		const person = await makeYoungPerson(t.db, { updated_at: new Date('2023-10-01T12:00:00Z') });
		expect(await due('2027-08-31')).not.toContain(person.id);
		expect(await due('2027-09-01')).toContain(person.id);
	});
});

describe('a programme’s retention period', () => {
	it('must be from 1 to 25 years: 0 or 26 is a message beside the field, and nothing changes', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const programme = await makeProgramme(t.db);
		const values = {
			name: programme.name,
			shape: 'event',
			description: '',
			partnershipPriority: 'Safer Communities',
			pccTags: '',
			yearGroups: ['Y8'],
			registerKind: 'headcount',
			leadIds: []
		};
		for (const retentionYears of ['0', '26', 'three', '']) {
			expect(await updateProgramme(t.db, admin, programme.id, { ...values, retentionYears })).toMatchObject({
				ok: false,
				code: 'invalid',
				errors: { retentionYears: expect.stringMatching(/1 to 25 years/) }
			});
		}
		const row = await t.db.selectFrom('programme').select(['retention_years', 'year_groups']).where('id', '=', programme.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ retention_years: 3, year_groups: ['Y7', 'Y8', 'Y9'] });
		expect(await auditEvents(t.db, 'programme.updated')).toEqual([]);
	});

	it('cannot be set outside 1 to 25 years in the database either', async () => {
		const programme = await makeProgramme(t.db);
		await expect(t.db.updateTable('programme').set({ retention_years: 0 }).where('id', '=', programme.id).execute()).rejects.toThrow(/check/);
	});
});

describe('runRetention', () => {
	it('lists who is due on a dry run without changing anyone, then anonymises them, audited by id', async () => {
		const world = await makePersonWithHistory(t.db);
		await t.db
			.updateTable('young_person')
			.set({ updated_at: new Date('2020-01-01T12:00:00Z') })
			.execute();
		const now = new Date('2025-09-02T02:00:00Z');

		const dry = await runRetention(t.db, now, { dryRun: true });
		expect(dry).toMatchObject({ today: '2025-09-02', anonymised: 0 });
		expect(dry.due.map((d) => d.id).sort()).toEqual([world.person.id, world.mentor.id].sort());
		expect(JSON.stringify(dry)).not.toMatch(/Zebedee|Quillfeather|Ottoline/);
		expect(await everyRowAsText(t.db)).toMatch(/Quillfeather/);

		const run = await runRetention(t.db, now);
		expect(run.anonymised).toBe(2);
		const text = await everyRowAsText(t.db);
		expect(text).not.toMatch(/Zebedee|Quillfeather|Ottoline|Brackenbury/i);
		expect((await auditEvents(t.db, 'young_person.anonymised')).map((e) => e.entity_id).sort()).toEqual([world.person.id, world.mentor.id].sort());
		expect((await runRetention(t.db, now)).anonymised).toBe(0);
	});

	it('runs in the scheduler once a night, by the fake clock', async () => {
		const world = await makePersonWithHistory(t.db);
		await t.db
			.updateTable('young_person')
			.set({ updated_at: new Date('2020-01-01T12:00:00Z') })
			.execute();
		// 01:30 UK time is before the night's run; 02:30 is after.
		let now = new Date('2025-09-02T00:30:00Z');
		const scheduler = appScheduler(
			() => t.db,
			() => now
		);
		await scheduler.runDue();
		expect(
			(await t.db.selectFrom('young_person').select('anonymised_at').where('id', '=', world.person.id).executeTakeFirstOrThrow()).anonymised_at
		).toBeNull();
		now = new Date('2025-09-02T01:30:00Z');
		await scheduler.runDue();
		expect((await t.db.selectFrom('young_person').select('anonymised_at').where('id', '=', world.person.id).executeTakeFirstOrThrow()).anonymised_at).toEqual(
			now
		);
		expect(await t.db.selectFrom('scheduled_run').select(['job', 'day']).where('job', '=', 'retention').execute()).toEqual([
			{ job: 'retention', day: '2025-09-02' }
		]);
	});
});

import { describe, expect, it } from 'vitest';
import { eraseYoungPerson } from '../../../src/lib/server/retention/retention.service';
import { restoreYoungPerson } from '../../../src/lib/server/young-people/young-people.service';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { everyRowAsText, makePersonWithHistory } from '../../support/retention-world';

const t = useTestDatabase();
const NOW = new Date('2026-12-03T10:00:00Z');
const notFound = expect.objectContaining({ status: 404 });

const counts = async (personId: string) => ({
	marks: (await t.db.selectFrom('attendance_mark').select('session_id').where('young_person_id', '=', personId).execute()).length,
	enrolments: (await t.db.selectFrom('enrolment').select('id').where('young_person_id', '=', personId).execute()).length,
	pairs: (await t.db.selectFrom('mentoring_pair').select('id').where('mentee_id', '=', personId).execute()).length,
	awards: (await t.db.selectFrom('award_participant').select('id').where('young_person_id', '=', personId).execute()).length,
	questionnaires: (await t.db.selectFrom('outcome_questionnaire').select('id').where('young_person_id', '=', personId).execute()).length
});

describe('eraseYoungPerson', () => {
	it('anonymises the record and every trace of the name, keeping school, year group and every row that points at them', async () => {
		const world = await makePersonWithHistory(t.db);
		const before = await counts(world.person.id);
		expect(await everyRowAsText(t.db)).toMatch(/Quillfeather/i);

		const result = await eraseYoungPerson(t.db, world.admin, world.person.id, { reason: 'Request from Zebedee Quillfeather’s parent, 1 Dec 2026' }, NOW);

		expect(result).toEqual({ ok: true, id: world.person.id });
		const row = await t.db.selectFrom('young_person').selectAll().where('id', '=', world.person.id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({
			school_id: world.school.id,
			reception_year: 2014,
			first_name: 'Anonymised',
			last_name: 'young person',
			gender: null,
			sen: null,
			free_school_meals: null,
			anonymised_at: NOW,
			archived_at: NOW
		});
		expect(row.search_key).not.toMatch(/zebedee|quillfeather/);
		expect(await counts(world.person.id)).toEqual(before);
		const everything = await everyRowAsText(t.db);
		expect(everything).not.toMatch(/Zebedee|Quillfeather/i);
		// The mentor keeps their name and their pair, now with an anonymous mentee.
		expect(everything).toMatch(/Ottoline/);
		const note = await t.db.selectFrom('mentoring_meeting').select('note').where('pair_id', '=', world.pair.id).executeTakeFirstOrThrow();
		expect(note.note).toBe('Anonymised talked about school; Anonymised family moving');
		const [erased] = await auditEvents(t.db, 'young_person.erased');
		expect(erased).toMatchObject({ actor_id: world.admin.id, entity_id: world.person.id, detail: { reason: 'Request from Anonymised’s parent, 1 Dec 2026' } });
	});

	it('refuses to erase someone already anonymised, changes nothing, and audits the attempt', async () => {
		const world = await makePersonWithHistory(t.db);
		await eraseYoungPerson(t.db, world.admin, world.person.id, { reason: 'Parent asked' }, NOW);
		const after = await t.db.selectFrom('young_person').selectAll().where('id', '=', world.person.id).executeTakeFirstOrThrow();

		const again = await eraseYoungPerson(t.db, world.admin, world.person.id, { reason: 'Asked twice' }, new Date('2026-12-04T10:00:00Z'));

		expect(again).toMatchObject({
			ok: false,
			code: 'refused',
			reason: 'already_anonymised',
			field: 'reason',
			message: expect.stringMatching(/already been anonymised/)
		});
		expect(await t.db.selectFrom('young_person').selectAll().where('id', '=', world.person.id).executeTakeFirstOrThrow()).toEqual(after);
		expect(await auditEvents(t.db, 'young_person.erase_refused')).toMatchObject([{ entity_id: world.person.id, detail: { why: 'already_anonymised' } }]);
		expect(await auditEvents(t.db, 'young_person.erased')).toHaveLength(1);
	});

	it('asks for a reason and changes nothing without one', async () => {
		const world = await makePersonWithHistory(t.db);
		expect(await eraseYoungPerson(t.db, world.admin, world.person.id, { reason: '   ' }, NOW)).toMatchObject({
			ok: false,
			code: 'invalid',
			errors: { reason: expect.any(String) }
		});
		expect(await eraseYoungPerson(t.db, world.admin, world.person.id, { reason: 'x'.repeat(501) }, NOW)).toMatchObject({ ok: false, code: 'invalid' });
		const row = await t.db.selectFrom('young_person').select(['first_name', 'anonymised_at']).where('id', '=', world.person.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ first_name: 'Zebedee', anonymised_at: null });
	});

	it('is for admins only: the school contact and a lead get a 404, audited, and nothing changes', async () => {
		const world = await makePersonWithHistory(t.db);
		const lead = await makeActor(t.db, { role: 'lead' });
		await expect(eraseYoungPerson(t.db, world.contact, world.person.id, { reason: 'Parent asked' }, NOW)).rejects.toEqual(notFound);
		await expect(eraseYoungPerson(t.db, lead, world.person.id, { reason: 'Parent asked' }, NOW)).rejects.toEqual(notFound);
		await expect(eraseYoungPerson(t.db, world.admin, 'not-an-id', { reason: 'Parent asked' }, NOW)).rejects.toEqual(notFound);
		expect(await auditEvents(t.db, 'access.refused')).toHaveLength(3);
		expect((await t.db.selectFrom('young_person').select('first_name').where('id', '=', world.person.id).executeTakeFirstOrThrow()).first_name).toBe('Zebedee');
	});

	it('cannot be undone by restoring the archived record', async () => {
		const world = await makePersonWithHistory(t.db);
		await eraseYoungPerson(t.db, world.admin, world.person.id, { reason: 'Parent asked' }, NOW);
		expect(await restoreYoungPerson(t.db, world.admin, world.person.id)).toMatchObject({ ok: false, code: 'refused', reason: 'anonymised' });
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionOf } from '../../../src/lib/server/edit-versions';
import { updateSchool } from '../../../src/lib/server/schools/schools.service';
import { useTestDatabase } from '../../support/database';
import { copyTemplateDatabase } from '../../support/booking-world';
import { auditEvents, makeActor, makeSchool } from '../../support/factories';

// Two people on one edit form (src/lib/server/edit-versions.ts): each form carries the version
// it was opened on, and a save from a form opened before someone else's save is refused with
// what is saved now beside each field that differs, and nothing written.

const t = useTestDatabase();

const CONFLICT = { ok: false, code: 'conflict', reason: 'changed_since' };
const schoolValues = { name: 'Astor College', urn: '118937', phase: 'secondary', town: 'Dover' } as const;

async function schoolVersion(id: string) {
	return versionOf((await t.db.selectFrom('school').select('updated_at').where('id', '=', id).executeTakeFirstOrThrow()).updated_at);
}
async function storedSchool(id: string) {
	return t.db.selectFrom('school').select(['name', 'urn', 'phase', 'town']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe("a school's edit form", () => {
	it('refuses the second of two saves from forms opened on one version, with what is saved now beside each field that differs, and saves nothing of it', async () => {
		const admin = await makeActor(t.db);
		const other = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		const opened = await schoolVersion(school.id);

		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened)).toEqual({ ok: true, id: school.id });
		const second = await updateSchool(t.db, other, school.id, { ...schoolValues, town: 'Deal' }, opened);

		expect(second).toEqual({
			...CONFLICT,
			field: 'basedOn',
			message: expect.stringMatching(
				/^This school was changed by someone else (at|on) .*: your changes have not been saved\..*Save again to replace it with yours\.$/
			),
			errors: { phase: 'Saved now as: All-through', town: 'Saved now as: Dover' },
			basedOn: await schoolVersion(school.id)
		});
		expect(await storedSchool(school.id)).toEqual({ ...schoolValues, phase: 'all-through' });
		expect(await auditEvents(t.db, 'school.updated')).toHaveLength(1);
	});

	it('saves the second form once it is sent again on the version now saved, replacing that version knowingly', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		const opened = await schoolVersion(school.id);
		await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened);
		const refused = await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Deal' }, opened);
		if (refused.ok || refused.code !== 'conflict') throw new Error('expected a conflict');

		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Deal' }, refused.basedOn)).toEqual({ ok: true, id: school.id });
		expect(await storedSchool(school.id)).toEqual({ ...schoolValues, town: 'Deal' });
	});

	it('lets a save through that writes what is saved now, whatever version it was opened on', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		const opened = await schoolVersion(school.id);
		await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened);
		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, phase: 'all-through' }, opened)).toEqual({ ok: true, id: school.id });
	});

	it('does not check a form sent without a version, and refuses one sent with a version the school never had', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, schoolValues);
		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Deal' }, '')).toEqual({ ok: true, id: school.id });
		expect(await updateSchool(t.db, admin, school.id, { ...schoolValues, town: 'Sandwich' }, 'yesterday')).toMatchObject({
			...CONFLICT,
			errors: { town: 'Saved now as: Deal' }
		});
		expect(await storedSchool(school.id)).toMatchObject({ town: 'Deal' });
	});
});

// Saves at once need real concurrent connections: PGlite has one, so this runs on PostgreSQL
// only, committing to a database of its own.
describe.skipIf(process.env.TEST_DB !== 'postgres')("a school's edit form under contention (PostgreSQL)", () => {
	let database: Awaited<ReturnType<typeof copyTemplateDatabase>>;
	beforeAll(async () => {
		database = await copyTemplateDatabase();
	});
	afterAll(async () => {
		await database?.drop();
	});

	it('lets exactly one of 10 saves sent at once from forms opened on one version through', async () => {
		const db = database.database.db;
		const admin = await makeActor(db);
		const school = await makeSchool(db, { ...schoolValues, name: 'Astor College (race)', urn: '118930' });
		const opened = versionOf(school.updated_at);
		const names = Array.from({ length: 10 }, (_, i) => `Astor College ${i + 1}`);
		const results = await Promise.all(names.map((name) => updateSchool(db, admin, school.id, { ...schoolValues, name, urn: '118930' }, opened)));

		const saved = await db.selectFrom('school').select('name').where('id', '=', school.id).executeTakeFirstOrThrow();
		const through = results.flatMap((r, i) => (r.ok ? [names[i]] : []));
		expect(through).toEqual([saved.name]);
		expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 9 }, () => expect.objectContaining(CONFLICT)));
		const audited = await db.selectFrom('audit_event').select('id').where('entity_id', '=', school.id).where('action', '=', 'school.updated').execute();
		expect(audited).toHaveLength(1);
	});
});

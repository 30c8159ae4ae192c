import { describe, expect, it } from 'vitest';
import { createSchool, getSchool, listSchools, setSchoolActive, updateSchool } from '../../../src/lib/server/schools/schools.service';
import type { SchoolValues } from '../../../src/lib/server/schools/schools.schema';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeSchool } from '../../support/factories';

const t = useTestDatabase();

const values = (overrides: Partial<SchoolValues> = {}): SchoolValues => ({
	name: 'Whitfield Aspen School',
	urn: '',
	phase: 'primary',
	town: 'Dover',
	...overrides
});

const schoolCount = async () => (await t.db.selectFrom('school').select('id').execute()).length;

describe('createSchool', () => {
	it.each([
		['no name', { name: '  ' }, 'name'],
		['a 5-digit URN', { urn: '12345' }, 'urn'],
		['a URN of letters', { urn: 'abcdef' }, 'urn']
	])('refuses %s with a field error and saves nothing', async (_, overrides, field) => {
		const admin = await makeActor(t.db);
		const result = await createSchool(t.db, admin, values(overrides));
		expect(result).toEqual({ ok: false, code: 'invalid', errors: { [field]: expect.any(String) } });
		expect(await schoolCount()).toBe(0);
	});

	it('saves a school with a 6-digit URN and audits it', async () => {
		const admin = await makeActor(t.db);
		const result = await createSchool(t.db, admin, values({ urn: '123456' }));
		expect(result.ok).toBe(true);
		const saved = await t.db.selectFrom('school').select(['name', 'urn', 'phase', 'town', 'active']).execute();
		expect(saved).toEqual([{ name: 'Whitfield Aspen School', urn: '123456', phase: 'primary', town: 'Dover', active: true }]);
		expect(await auditEvents(t.db, 'school.created')).toMatchObject([{ entity_id: result.ok ? result.id : '' }]);
	});

	it('refuses a URN or a name (in any case) that another school has', async () => {
		const admin = await makeActor(t.db);
		await makeSchool(t.db, { name: 'Whitfield Aspen School', urn: '123456' });
		const sameUrn = await createSchool(t.db, admin, values({ name: 'Another School', urn: '123456' }));
		const sameName = await createSchool(t.db, admin, values({ name: 'WHITFIELD aspen school' }));
		expect(sameUrn).toEqual({ ok: false, code: 'invalid', errors: { urn: expect.any(String) } });
		expect(sameName).toEqual({ ok: false, code: 'invalid', errors: { name: expect.any(String) } });
		expect(await schoolCount()).toBe(1);
	});
});

describe('updateSchool', () => {
	it('audits which fields changed', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db, { name: 'Sandown School', phase: 'primary', town: 'Deal' });
		const result = await updateSchool(t.db, admin, school.id, values({ name: 'Sandown School', town: 'Sandwich' }));
		expect(result).toEqual({ ok: true, id: school.id });
		expect(await auditEvents(t.db, 'school.updated')).toMatchObject([{ entity_id: school.id, detail: { fields: ['town'] } }]);
	});
});

describe('getSchool', () => {
	it('shows a school contact their own school', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		expect((await getSchool(t.db, contact, contact.schoolId!)).id).toBe(contact.schoolId);
	});

	it('answers a school contact asking for another school with a 404, and audits it', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		const other = await makeSchool(t.db);
		await expect(getSchool(t.db, contact, other.id)).rejects.toMatchObject({ status: 404 });
		expect(await auditEvents(t.db, 'access.refused')).toMatchObject([{ actor_id: contact.id, entity_type: 'school', entity_id: other.id }]);
	});
});

describe('listSchools', () => {
	it('is not for school contacts', async () => {
		const contact = await makeActor(t.db, { role: 'school' });
		await expect(listSchools(t.db, contact, {})).rejects.toMatchObject({ status: 404 });
	});

	it('leaves out deactivated schools unless an admin asks for them', async () => {
		const admin = await makeActor(t.db);
		const school = await makeSchool(t.db);
		await setSchoolActive(t.db, admin, school.id, false);
		expect(await listSchools(t.db, admin, {})).toEqual([]);
		expect((await listSchools(t.db, admin, { includeInactive: true })).map((s) => s.id)).toEqual([school.id]);
	});
});

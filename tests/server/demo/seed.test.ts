import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signIn } from '../../../src/lib/server/auth/auth.service';
import { seedDemo } from '../../../src/lib/server/demo/seed';
import { useTestDatabase } from '../../support/database';

// The template database has no users, so each test's transaction starts as an empty database.
const t = useTestDatabase();
const csv = readFileSync(new URL('../../../src/lib/server/demo/demo-schools.csv', import.meta.url), 'utf8');
const schoolNames = csv
	.trim()
	.split(/\r?\n/)
	.slice(1)
	.map((line) => line.split(',')[0]);

async function demoUsers() {
	return t.db
		.selectFrom('app_user')
		.leftJoin('school', 'school.id', 'app_user.school_id')
		.select(['app_user.email', 'app_user.role', 'school.name as school', 'school.phase'])
		.orderBy('app_user.email')
		.execute();
}

describe('seedDemo', () => {
	it('adds the demo schools and one user of each role, who can all sign in', async () => {
		await seedDemo(t.db, csv);
		const schools = await t.db.selectFrom('school').select('name').execute();
		expect(schools.map((s) => s.name).sort()).toEqual([...schoolNames].sort());
		expect(await demoUsers()).toEqual([
			{ email: 'admin@demo.test', role: 'admin', school: null, phase: null },
			{ email: 'lead@demo.test', role: 'lead', school: null, phase: null },
			{ email: 'primary@demo.test', role: 'school', school: expect.any(String), phase: 'primary' },
			{ email: 'school@demo.test', role: 'school', school: 'Astor College', phase: 'secondary' },
			{ email: 'viewer@demo.test', role: 'viewer', school: null, phase: null }
		]);
		for (const { email } of await demoUsers()) {
			const result = await signIn(t.db, { email, password: 'demo-password-2019', address: '192.0.2.1' });
			expect(result.ok, email).toBe(true);
		}
	});

	it('refuses a database that already has users, so real accounts are never touched', async () => {
		await seedDemo(t.db, csv);
		await expect(seedDemo(t.db, csv)).rejects.toThrow(/already has users/);
		expect(await demoUsers()).toHaveLength(5);
	});
});

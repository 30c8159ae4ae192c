import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
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

	it("builds the plan's 2018-19 year from record-level rows", async () => {
		await seedDemo(t.db, csv);
		const inYear = sql<boolean>`ps.starts_at >= '2018-09-01T00:00:00+01:00' and ps.starts_at < '2019-09-01T00:00:00+01:00'`;
		const headcount = async (programme: string) =>
			Number(
				(
					await t.db
						.selectFrom('attendance_headcount as h')
						.innerJoin('programme_session as ps', 'ps.id', 'h.session_id')
						.innerJoin('programme as p', 'p.id', 'ps.programme_id')
						.where('p.name', '=', programme)
						.where(inYear)
						.select((eb) => eb.fn.sum<number>('h.count').as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		expect(await headcount('Youth Conference')).toBe(802);
		expect(await headcount('Safety in Action Week')).toBe(256);

		const cohort = await t.db
			.selectFrom('mentoring_pair as mp')
			.innerJoin('mentoring_cohort as mc', 'mc.id', 'mp.cohort_id')
			.where('mc.academic_year', '=', 2018)
			.select((eb) => [eb.fn.count<number>('mp.mentor_id').distinct().as('mentors'), eb.fn.count<number>('mp.mentee_id').distinct().as('mentees')])
			.executeTakeFirstOrThrow();
		expect({ mentors: Number(cohort.mentors), mentees: Number(cohort.mentees) }).toEqual({ mentors: 15, mentees: 300 });

		const awards = await t.db
			.selectFrom('award_participant')
			.where('achieved_on', '>=', '2018-09-01')
			.where('achieved_on', '<=', '2019-08-31')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(awards.n)).toBe(25);

		const sessions = async (programme: string) =>
			t.db
				.selectFrom('programme_session as ps')
				.innerJoin('programme as p', 'p.id', 'ps.programme_id')
				.where('p.name', '=', programme)
				.where(inYear)
				.where('ps.status', '=', 'completed')
				.select('ps.id')
				.execute();
		expect(await sessions('Gang Awareness Workshops')).toHaveLength(6);

		const arts = await t.db
			.selectFrom('attendance_mark as m')
			.innerJoin('programme_session as ps', 'ps.id', 'm.session_id')
			.innerJoin('programme as p', 'p.id', 'ps.programme_id')
			.innerJoin('young_person as yp', 'yp.id', 'm.young_person_id')
			.innerJoin('school as s', 's.id', 'yp.school_id')
			.where('p.name', '=', 'Dover Smart Arts Project')
			.where('m.status', 'in', ['present', 'late'])
			.select(['s.name as school', (eb) => eb.fn.count<number>('m.young_person_id').distinct().as('n')])
			.groupBy('s.name')
			.execute();
		expect(arts.map((r) => ({ school: r.school, n: Number(r.n) }))).toEqual([{ school: 'Astor College', n: 14 }]);
	});

	it('trains 87 frontline professionals at Prevent in 2018-19, by headcount, and offers the film to schools as demo sessions', async () => {
		await seedDemo(t.db, csv);
		const prevent = await t.db
			.selectFrom('attendance_headcount as h')
			.innerJoin('programme_session as ps', 'ps.id', 'h.session_id')
			.innerJoin('programme as p', 'p.id', 'ps.programme_id')
			.where('p.name', '=', 'Prevent Awareness Training')
			.where(sql<boolean>`ps.starts_at >= '2018-09-01T00:00:00+01:00' and ps.starts_at < '2019-09-01T00:00:00+01:00'`)
			.select(['h.year_group', (eb) => eb.fn.sum<number>('h.count').as('n')])
			.groupBy('h.year_group')
			.execute();
		expect(prevent.map((r) => ({ yearGroup: r.year_group, n: Number(r.n) }))).toEqual([{ yearGroup: 'professionals', n: 87 }]);

		const film = await t.db
			.selectFrom('programme_session as ps')
			.innerJoin('programme as p', 'p.id', 'ps.programme_id')
			.where('p.name', '=', 'Hate Crime Film Screenings')
			.select(['ps.venue', 'ps.year_groups', 'ps.starts_at', 'ps.status', 'p.shape'])
			.execute();
		expect(film.length).toBeGreaterThan(1);
		for (const s of film) {
			expect(s.venue).toContain('(demo data)');
			expect(s).toMatchObject({ shape: 'event', status: 'scheduled', year_groups: ['Y7', 'Y8', 'Y9', 'Y10', 'Y11'] });
			expect(new Date(s.starts_at).getTime()).toBeGreaterThan(Date.now());
		}
	});
});

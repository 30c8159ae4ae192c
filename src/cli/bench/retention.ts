// `npm run bench:retention`: the figures the retention issue asks for, on PostgreSQL. Loads the
// county data set (250,000 young people, over 2 million marks) into a throwaway database and
// times the retention run that anonymises all of them (a clock in 2040, past every period);
// seeds the demo into another and measures one subject access export of a demo young person
// with marks, mentoring and awards; counts the data inventory's columns. BENCH_RETENTION_PEOPLE
// anonymises only that many (the first due) when the whole run would take too long;
// BENCH_RETENTION_COUNTY=off skips the county part.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { hashPassword } from '../../lib/server/auth/password';
import { openDatabase } from '../../lib/server/db/database';
import { withTransaction } from '../../lib/server/db';
import { migrateToLatest } from '../../lib/server/db/migrate';
import { seedDemo } from '../../lib/server/demo/seed';
import { anonymise, runRetention } from '../../lib/server/retention/retention.service';
import { listYoungPeopleDue } from '../../lib/server/retention/retention.queries';
import { subjectAccessExport } from '../../lib/server/subject-access/subject-access.service';
import { insertUser } from '../../lib/server/users/users.queries';
import { generateCountyData } from './county-data';

const serverUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const limit = process.env.BENCH_RETENTION_PEOPLE ? Number(process.env.BENCH_RETENTION_PEOPLE) : undefined;

async function withDatabase<T>(suffix: string, work: (url: string) => Promise<T>): Promise<T> {
	const name = `ypt_bench_${suffix}_${process.pid}`;
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	try {
		return await work(url.toString());
	} finally {
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
}

const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

if (process.env.BENCH_RETENTION_COUNTY !== 'off')
	await withDatabase('retention', async (url) => {
		const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
		try {
			await migrateToLatest(database.db);
			const lead = await insertUser(database.db, {
				email: 'bench-retention@example.org',
				name: 'Bench',
				role: 'admin',
				schoolId: null,
				status: 'active',
				passwordHash: await hashPassword(crypto.randomUUID())
			});
			const data = await generateCountyData(database.db, lead.id);
			console.log(
				`County data set: ${data.youngPeople.toLocaleString('en-GB')} young people, ${data.marks.toLocaleString('en-GB')} marks, loaded in ${data.seconds.toFixed(0)} s`
			);
			const now = new Date('2040-09-02T02:00:00Z');
			let started = performance.now();
			const due = await listYoungPeopleDue(database.db, '2040-09-02');
			console.log(`Dry run (who is past every period): ${due.length.toLocaleString('en-GB')} young people in ${seconds(started)}`);
			started = performance.now();
			if (limit === undefined) {
				const run = await runRetention(database.db, now);
				console.log(`Retention run: anonymised ${run.anonymised.toLocaleString('en-GB')} young people in ${seconds(started)} (including the dry run's query)`);
			} else {
				const ids = due.slice(0, limit).map((d) => d.id);
				for (let i = 0; i < ids.length; i += 2000) await withTransaction(database.db, (trx) => anonymise(trx, ids.slice(i, i + 2000), now));
				console.log(`Anonymised ${ids.length.toLocaleString('en-GB')} young people (of ${due.length.toLocaleString('en-GB')}) in ${seconds(started)}`);
			}
			const left = await sql<{ n: number }>`select count(*)::int as n from young_person where anonymised_at is null`.execute(database.db);
			console.log(`Young people not anonymised afterwards: ${left.rows[0]!.n}`);
		} finally {
			await database.close();
		}
	});

await withDatabase('export', async (url) => {
	const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
	try {
		await migrateToLatest(database.db);
		await seedDemo(database.db, readFileSync(new URL('../../lib/server/demo/demo-schools.csv', import.meta.url), 'utf8'));
		// The demo young person with the most kinds of record (marks, mentoring, awards), then the most rows.
		const person = await sql<{ id: string }>`
			select yp.id from young_person yp
			cross join lateral (select
				(select count(*) from attendance_mark m where m.young_person_id = yp.id) as marks,
				(select count(*) from mentoring_pair p where p.mentor_id = yp.id or p.mentee_id = yp.id) as pairs,
				(select count(*) from award_participant a where a.young_person_id = yp.id) as awards) c
			order by (c.marks > 0)::int + (c.pairs > 0)::int + (c.awards > 0)::int desc, c.marks + c.pairs + c.awards desc, yp.id
			limit 1`.execute(database.db);
		const chosen = person.rows[0];
		if (!chosen) throw new Error('No demo young person with marks and mentoring');
		const adminUser = await database.db.selectFrom('app_user').selectAll().where('email', '=', 'admin@demo.test').executeTakeFirstOrThrow();
		const actor = { id: adminUser.id, email: adminUser.email, name: adminUser.name, role: adminUser.role, schoolId: null };
		const { file } = await subjectAccessExport(database.db, actor, chosen.id);
		const counts = await sql<{ marks: number; meetings: number; awards: number }>`
			select (select count(*)::int from attendance_mark where young_person_id = ${chosen.id}) as marks,
				(select count(*)::int from mentoring_meeting mm join mentoring_pair p on p.id = mm.pair_id where p.mentor_id = ${chosen.id} or p.mentee_id = ${chosen.id}) as meetings,
				(select count(*)::int from award_participant where young_person_id = ${chosen.id}) as awards`.execute(database.db);
		const c = counts.rows[0]!;
		console.log(
			`Subject access export of one demo young person (${c.marks} marks, ${c.meetings} mentoring meetings, ${c.awards} awards): ${(file.body as Uint8Array).byteLength.toLocaleString('en-GB')} bytes (ZIP)`
		);
	} finally {
		await database.close();
	}
});

const inventory = readFileSync(new URL('../../../docs/data-inventory.md', import.meta.url), 'utf8');
const rows = inventory.split('\n').filter((line) => /^\| `\w+`/.test(line));
console.log(`Data inventory: ${rows.length} columns, ${rows.filter((line) => /\|\s*yes: /.test(line)).length} holding personal data`);

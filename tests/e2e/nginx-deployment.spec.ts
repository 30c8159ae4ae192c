import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { openDatabase, type AppDatabase } from '../../src/lib/server/db/database';
import { createProgramme } from '../../src/lib/server/programmes/programmes.service';
import { scheduleSessions } from '../../src/lib/server/sessions/sessions.service';
import { addDays, londonParts } from '../../src/lib/server/time';
import { makeActor, makeUser, PASSWORD } from '../support/factories';
import {
	createDatabase,
	ENV_FILE,
	freePort,
	makeCertificate,
	nginxPath,
	plainGet,
	postOfSize,
	readEnvFile,
	SITE_FILE,
	startApp,
	startNginx,
	tempDir,
	testSite,
	UNIT_FILE,
	Visitor,
	type Started
} from '../support/nginx-deployment';

// deploy/ run for real: nginx with deploy/nginx/youth-tracker.conf in front of two app
// processes with the settings of deploy/youth-tracker.env.example, on one PostgreSQL database.
// The race is the one of tests/server/bookings/concurrency.test.ts, made of what browsers send:
// school contacts sign in through the sign-in form, open the booking form for its one-time key,
// and all post it at once.

const ROUNDS = 30;
const SCHOOLS = 20;
const CAPACITY = 5;
/** Each school's browser connects from an address of its own: 127.0.1.1, 127.0.1.2, ... */
const schoolAddress = (i: number) => `127.0.1.${i + 1}`;
/** What a client writes into X-Forwarded-For itself: never to be taken as its address. */
const SPOOFED = '198.51.100.23';

interface Deployment {
	origin: string;
	httpPort: number;
	certificate: string;
	dir: string;
	database: AppDatabase;
	sessionIds: string[];
	schools: { userId: string; email: string; visitor: Visitor }[];
	stop(): Promise<void>;
}

/** Today's date in the UK, and a session that many days ahead, open for booking now. */
function openSession(today: string, daysAhead: number) {
	return {
		date: addDays(today, daysAhead),
		startTime: '09:30',
		endTime: '15:00',
		venue: 'Dover Town Hall',
		capacity: String(CAPACITY),
		bookingOpens: addDays(today, -1),
		bookingCloses: addDays(today, daysAhead - 2),
		yearGroups: ['Y7'],
		schoolCap: '',
		requiresApproval: false,
		rotationMinutes: '',
		repeat: 'none',
		repeatUntil: '',
		repeatCount: '',
		// Dates are counted from today and may fall in the school holidays: schedule them all the same.
		confirmHoliday: true
	};
}

/** A programme with ROUNDS sessions open for booking now and SCHOOLS secondary schools, each with a contact. */
async function buildWorld(database: AppDatabase) {
	const db = database.db;
	const admin = await makeActor(db, { role: 'admin' });
	const lead = await makeActor(db, { role: 'lead' });
	const programme = await createProgramme(db, admin, {
		name: 'Safety in Action behind nginx',
		shape: 'event',
		description: '',
		partnershipPriority: 'Safer Communities',
		pccTags: '',
		yearGroups: ['Y7', 'Y8'],
		registerKind: 'headcount',
		leadIds: [lead.id]
	});
	if (!programme.ok) throw new Error(`createProgramme refused: ${JSON.stringify(programme)}`);
	const today = londonParts(new Date()).date;
	const sessionIds: string[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		const made = await scheduleSessions(db, lead, programme.id, openSession(today, 30 + round));
		if (!made.ok || !made.ids[0]) throw new Error(`scheduleSessions refused: ${JSON.stringify(made)}`);
		sessionIds.push(made.ids[0]);
	}
	const contacts = [];
	for (let i = 0; i < SCHOOLS; i++) contacts.push(await makeUser(db, { role: 'school' }));
	return { sessionIds, contacts };
}

async function deploy(nginx: string): Promise<Deployment> {
	const dir = tempDir();
	const running: Started[] = [];
	const created = await createDatabase();
	let database: AppDatabase | undefined;
	const visitors: Visitor[] = [];
	const stop = async () => {
		for (const visitor of visitors) visitor.close();
		for (const process of running.reverse()) await process.stop();
		await database?.close();
		await created.drop();
		dir.remove();
	};
	try {
		const ports = { http: await freePort(), https: await freePort(), apps: [await freePort(), await freePort()] as [number, number] };
		const origin = `https://127.0.0.1:${ports.https}`;
		const certificate = makeCertificate(dir.path);
		const settings = readEnvFile(ENV_FILE);
		const env = (port: number) => ({
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			NODE_ENV: 'production',
			...settings,
			DATABASE_URL: created.url,
			ORIGIN: origin,
			PORT: String(port),
			SMTP_URL: ''
		});
		// The first process migrates the empty database as it starts; then the second joins it.
		for (const port of ports.apps) running.push(await startApp(env(port)));
		running.push(await startNginx(nginx, dir.path, testSite(readFileSync(SITE_FILE, 'utf8'), ports, dir.path), ports));

		database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 2 });
		const world = await buildWorld(database);
		const schools = world.contacts.map((c, i) => {
			const visitor = new Visitor(origin, schoolAddress(i), certificate);
			visitors.push(visitor);
			return { userId: c.id, email: c.email, visitor };
		});
		return { origin, httpPort: ports.http, certificate, dir: dir.path, database, sessionIds: world.sessionIds, schools, stop };
	} catch (error) {
		const output = running.map((p) => p.output()).join('\n');
		await stop();
		throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`, { cause: error });
	}
}

/** The one-time key of a booking form, as the page gives it to the browser. */
function idempotencyKey(html: string): string {
	const key = html.match(/name="idempotencyKey" value="([0-9a-f-]{36})"/)?.[1];
	if (!key) throw new Error(`No idempotency key in the booking form: ${html.slice(0, 500)}`);
	return key;
}

async function confirmedPlaces(database: AppDatabase, sessionId: string): Promise<number> {
	const row = await database.db
		.selectFrom('booking')
		.select(sql<number>`coalesce(sum(confirmed_places), 0)::int`.as('places'))
		.where('session_id', '=', sessionId)
		.where('status', 'in', ['confirmed', 'waitlisted'])
		.executeTakeFirstOrThrow();
	return row.places;
}

test.describe('deploy/: nginx in front of two app processes on one PostgreSQL', () => {
	const nginx = nginxPath();
	test.skip(!process.env.TEST_DATABASE_URL || !nginx, 'needs TEST_DATABASE_URL and nginx (apt-get install nginx-light)');
	// The race needs the sign-ins before it: after a failure, the rest would only repeat it.
	test.describe.configure({ mode: 'serial' });

	let deployment: Deployment;
	test.beforeAll(async () => {
		test.setTimeout(120_000);
		deployment = await deploy(nginx!);
	});
	test.afterAll(async () => {
		await deployment?.stop();
	});

	test('school contacts sign in through the sign-in form, and the audit log has their own addresses', async () => {
		for (const school of deployment.schools) {
			// A client may write any address into X-Forwarded-For; nginx adds the one that connected.
			const answer = await school.visitor.postForm('/sign-in', { email: school.email, password: PASSWORD }, { 'x-forwarded-for': SPOOFED });
			expect(answer.status, answer.body.slice(0, 300)).toBe(303);
			expect(answer.headers.location).toBe('/dashboard');
		}
		const rows = await deployment.database.db
			.selectFrom('audit_event')
			.select(['actor_id', 'address'])
			.where('action', '=', 'sign_in.succeeded')
			.orderBy('id')
			.execute();
		expect(rows).toEqual(deployment.schools.map((s, i) => ({ actor_id: s.userId, address: schoolAddress(i) })));
	});

	test(`confirms exactly ${CAPACITY} places when ${SCHOOLS} schools post the booking form at once through nginx, ${ROUNDS} rounds running`, async () => {
		test.setTimeout(300_000);
		const started = Date.now();
		const rounds = [];
		/** How long each round's posts took, from the first sent to the last answered. */
		const races: number[] = [];
		for (const sessionId of deployment.sessionIds) {
			const path = `/sessions/${sessionId}/book`;
			const forms = await Promise.all(deployment.schools.map((s) => s.visitor.get(path)));
			for (const form of forms) expect(form.status, form.body.slice(0, 300)).toBe(200);
			const posted = Date.now();
			const answers = await Promise.all(
				deployment.schools.map((s, i) =>
					s.visitor.postForm(path, {
						idempotencyKey: idempotencyKey(forms[i]!.body),
						yearGroup: 'Y7',
						places: '1',
						contactName: 'Sam Okafor',
						contactPhone: '01304 872000',
						classNames: '',
						accessNeeds: ''
					})
				)
			);
			races.push(Date.now() - posted);
			// What each school was told: the banner the answer leaves for the next page (web/notice.ts).
			const noticeOf = (a: { headers: Record<string, string | string[] | undefined> }) => {
				const cookies = ([] as string[]).concat(a.headers['set-cookie'] ?? []);
				const notice = cookies.map((c) => /^notice=([^;]*)/.exec(c)?.[1]).find((v) => v !== undefined);
				return notice === undefined ? null : decodeURIComponent(notice);
			};
			const notices = answers.map((a) => (a.status === 303 ? noticeOf(a) : `status ${a.status}`));
			rounds.push({
				confirmed: notices.filter((n) => n === 'confirmed').length,
				waitlisted: notices.filter((n) => n === 'waitlisted').length,
				other: notices.filter((n) => n !== 'confirmed' && n !== 'waitlisted'),
				stored: await confirmedPlaces(deployment.database, sessionId)
			});
		}
		const seconds = (Date.now() - started) / 1000;
		const median = [...races].sort((a, b) => a - b)[Math.floor(races.length / 2)];
		console.log(
			`nginx race: ${ROUNDS} rounds, ${SCHOOLS} schools at once for ${CAPACITY} places: confirmed per round ${rounds.map((r) => r.confirmed).join(',')}; ` +
				`${ROUNDS * SCHOOLS} forms opened and posted in ${seconds.toFixed(1)} s, a round's ${SCHOOLS} posts answered in ${median} ms (median), ${Math.max(...races)} ms (slowest)`
		);
		expect(rounds).toEqual(Array(ROUNDS).fill({ confirmed: CAPACITY, waitlisted: SCHOOLS - CAPACITY, other: [], stored: CAPACITY }));

		// Both processes took bookings, and each booking's audit row has its school's address.
		const log = readFileSync(join(deployment.dir, 'access.log'), 'utf8');
		const upstreams = new Set([...log.matchAll(/"POST \/sessions\/[^"]+\/book" 303 .* (127\.0\.0\.1:\d+)$/gm)].map((m) => m[1]));
		expect(upstreams.size).toBe(2);
		const bookings = await deployment.database.db.selectFrom('audit_event').select(['actor_id', 'address']).where('action', '=', 'booking.created').execute();
		expect(bookings).toHaveLength(ROUNDS * SCHOOLS);
		const addressOf = new Map(deployment.schools.map((s, i) => [s.userId, schoolAddress(i)]));
		expect(bookings.filter((b) => b.address !== addressOf.get(b.actor_id!))).toEqual([]);
	});

	test('sends http to https, and answers https with HSTS, gzip and a year of caching for built files', async () => {
		const redirect = await plainGet(deployment.httpPort, '/sessions?view=month');
		expect(redirect.status).toBe(301);
		expect(redirect.headers.location).toBe('https://127.0.0.1/sessions?view=month');

		const visitor = new Visitor(deployment.origin, '127.0.2.1', deployment.certificate);
		try {
			const page = await visitor.get('/sign-in', { 'accept-encoding': 'gzip' });
			expect(page.status).toBe(200);
			expect(page.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
			expect(page.headers['content-encoding']).toBe('gzip');
			const html = gunzipSync(Buffer.from(page.body, 'latin1')).toString('utf8');
			const asset = html.match(/\/_app\/immutable\/[^"]+\.js/)?.[0];
			expect(asset).toBeDefined();
			const script = await visitor.get(asset!);
			expect(script.status).toBe(200);
			expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
			expect(script.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
		} finally {
			visitor.close();
		}
	});

	test('lets through a form the app reads, and refuses one larger than an import can be at nginx', async () => {
		// A form under the app's 64 KB reaches it (a wrong password: 400); over 3 MB nginx refuses it.
		const fortyKilobytes = await postOfSize(deployment.origin, deployment.certificate, '/sign-in', 40 * 1024, '127.0.2.2');
		expect(fortyKilobytes).toBe(400);
		const fourMegabytes = await postOfSize(deployment.origin, deployment.certificate, '/sign-in', 4 * 1024 * 1024, '127.0.2.2');
		expect(fourMegabytes).toBe(413);
	});

	test("keeps one-time links' secrets and query strings out of nginx's access log", async () => {
		const visitor = new Visitor(deployment.origin, '127.0.2.3', deployment.certificate);
		try {
			await visitor.get('/reset-password/abcdefghijklmnopqrstuvwxyz234567');
			await visitor.get('/calendar/zyxwvutsrqponmlkjihgfedcba765432');
			await visitor.get('/young-people?search=Okonkwo');
		} finally {
			visitor.close();
		}
		// nginx writes a request's line once the response has gone, which can be just after the
		// client has it: read the log until the three lines are there.
		const logged = () =>
			readFileSync(join(deployment.dir, 'access.log'), 'utf8')
				.split('\n')
				.filter((line) => line.startsWith('127.0.2.3 '))
				.map((line) => line.match(/"GET ([^"]+)"/)?.[1]);
		await expect.poll(logged, { timeout: 5_000 }).toEqual(['/reset-password/[redacted]', '/calendar/[redacted]', '/young-people']);
	});
});

test('the systemd unit passes systemd-analyze verify', () => {
	const analyze = '/usr/bin/systemd-analyze';
	test.skip(!existsSync(analyze) || !existsSync('/usr/bin/node'), 'needs systemd-analyze and /usr/bin/node');
	// An instance of the template, as `systemctl start youth-tracker@3001` would load it.
	const dir = mkdtempSync(join(tmpdir(), 'ypt-unit-'));
	try {
		copyFileSync(UNIT_FILE, join(dir, 'youth-tracker@.service'));
		const verified = spawnSync(analyze, ['verify', join(dir, 'youth-tracker@3001.service')], { encoding: 'utf8' });
		expect(verified.stderr).toBe('');
		expect(verified.status).toBe(0);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

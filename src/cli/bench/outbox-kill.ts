// Emails against acknowledged changes after kill -9: starts the built app (`npx vite build`
// first) on a throwaway PostgreSQL database, has schools book places over HTTP as fast as they
// can, kills the server with SIGKILL at a random moment, restarts it, and does that KILLS
// times; then lets the server's sender deliver what is left to a fake SMTP server in this
// process, and counts:
// - bookings the app acknowledged (a 303 to the booking) and bookings committed (in the table);
// - confirmation emails in the outbox: every committed booking must have exactly one;
// - confirmations the SMTP server received: each booking's at least once (a kill between the
//   server taking a message and the sender marking it sent means it is sent again).
//
// npx tsx src/cli/bench/outbox-kill.ts
// BENCH_DATABASE_URL (default the local PostgreSQL) names a server where the user may create
// databases; the script makes ypt_outbox_kill_<time> there and drops it at the end (KEEP=1 keeps
// it). KILLS (default 8), CLIENTS (concurrent booking loops, default 8).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { hashPassword } from '../../lib/server/auth/password';
import type { Actor } from '../../lib/server/auth/session';
import { createSession } from '../../lib/server/auth/session';
import { bookingEmailText } from '../../lib/server/bookings/bookings.emails';
import { findBookingDetail } from '../../lib/server/bookings/bookings.queries';
import { openDatabase, type AppDatabase } from '../../lib/server/db/database';
import { migrateToLatest } from '../../lib/server/db/migrate';
import type { Role } from '../../lib/server/db/schema';
import { createProgramme } from '../../lib/server/programmes/programmes.service';
import { insertSchool } from '../../lib/server/schools/schools.queries';
import { scheduleSessions } from '../../lib/server/sessions/sessions.service';
import { addDays, londonParts } from '../../lib/server/time';
import { insertUser } from '../../lib/server/users/users.queries';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const built = `${root}build/index.js`;
const KILLS = Number(process.env.KILLS || 8);
const CLIENTS = Number(process.env.CLIENTS || 8);
const SCHOOLS_PER_CLIENT = 10;
const SESSIONS = 60;
const PORT = 3900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${PORT}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- A fake SMTP server: takes every message and keeps its text -----------------------------

function decodeBody(message: string): string {
	const split = message.indexOf('\r\n\r\n');
	const headers = message.slice(0, split);
	const body = message.slice(split + 4).replace(/^\.\./gm, '.');
	const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') {
		return body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	}
	return body;
}

function startSmtpSink(): Promise<{ port: number; received: string[]; server: Server }> {
	const received: string[] = [];
	const server = createServer((socket) => {
		socket.setEncoding('utf8');
		socket.on('error', () => {});
		let buffer = '';
		let inData = false;
		socket.write('220 sink ESMTP\r\n');
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					received.push(decodeBody(buffer.slice(0, end)));
					buffer = buffer.slice(end + 5);
					inData = false;
					socket.write('250 2.0.0 queued\r\n');
					continue;
				}
				const newline = buffer.indexOf('\r\n');
				if (newline < 0) return;
				const verb = buffer.slice(0, 4).toUpperCase();
				buffer = buffer.slice(newline + 2);
				if (verb === 'EHLO') socket.write('250-sink\r\n250 8BITMIME\r\n');
				else if (verb === 'DATA') {
					inData = true;
					socket.write('354 end with <CRLF>.<CRLF>\r\n');
				} else if (verb === 'QUIT') {
					socket.end('221 bye\r\n');
					return;
				} else socket.write('250 OK\r\n');
			}
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, received, server })));
}

// --- The app ----------------------------------------------------------------------------------

function startApp(url: string, smtpPort: number): { child: ChildProcess; log: string[] } {
	const log: string[] = [];
	const child = spawn(process.execPath, [built], {
		cwd: root,
		env: {
			...process.env,
			DATABASE_URL: url,
			PORT: String(PORT),
			HOST: '127.0.0.1',
			ORIGIN: base,
			SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
			MAIL_FROM: 'Bench <bench@example.org>'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
	return { child, log };
}

async function waitUntilServing(app: { child: ChildProcess; log: string[] }): Promise<void> {
	for (let i = 0; i < 300; i++) {
		if (app.child.exitCode !== null) throw new Error(`The app exited (${app.child.exitCode}):\n${app.log.join('')}`);
		try {
			if ((await fetch(`${base}/sign-in`)).ok) return;
		} catch {
			// Not listening yet.
		}
		await sleep(100);
	}
	throw new Error(`The app did not start:\n${app.log.join('')}`);
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill(signal);
	await exited;
}

// --- The world --------------------------------------------------------------------------------

interface Client {
	/** Each (school, session) pair is booked at most once, so a confirmation's address and subject name its booking. */
	pairs: { token: string; sessionId: string }[];
}

async function buildWorld(database: AppDatabase): Promise<Client[]> {
	const db = database.db;
	const run = Date.now().toString(36);
	// Active accounts need a password; nobody signs in with it (the clients hold session tokens).
	const passwordHash = await hashPassword(randomUUID());
	const person = async (role: Role, i: number, schoolId: string | null): Promise<Actor> => {
		const email = `bench-${run}-${role}-${i}@example.org`;
		const name = `Bench ${role} ${i}`;
		const { id } = await insertUser(db, { email, name, role, schoolId, status: 'active', passwordHash });
		return { id, email, name, role, schoolId, address: '192.0.2.250' };
	};
	const admin = await person('admin', 0, null);
	const lead = await person('lead', 0, null);
	const programme = await createProgramme(db, admin, {
		name: `Bench kill ${run}`,
		shape: 'event',
		description: 'Made by the outbox kill -9 benchmark',
		partnershipPriority: 'Safer Communities',
		pccTags: '',
		yearGroups: ['Y7'],
		registerKind: 'headcount',
		leadIds: [lead.id]
	});
	if (!programme.ok) throw new Error(`The programme was refused: ${JSON.stringify(programme)}`);
	const today = londonParts(new Date()).date;
	const sessions: string[] = [];
	// One session a day, so each confirmation's subject (programme, date) names its session.
	for (let day = 0; day < SESSIONS; day++) {
		const scheduled = await scheduleSessions(db, lead, programme.id, {
			date: addDays(today, 30 + day),
			startTime: '09:30',
			endTime: '12:00',
			venue: 'Benchmark Hall',
			capacity: '1000',
			bookingOpens: addDays(today, -1),
			bookingCloses: addDays(today, 20),
			yearGroups: ['Y7'],
			schoolCap: '',
			requiresApproval: false,
			rotationMinutes: '',
			repeat: 'none',
			repeatUntil: '',
			repeatCount: '',
			// Dates are counted from today and may fall in the school holidays: schedule them all the same.
			confirmHoliday: true
		});
		if (!scheduled.ok || !scheduled.ids[0]) throw new Error(`The session was refused: ${JSON.stringify(scheduled)}`);
		sessions.push(scheduled.ids[0]);
	}
	const clients: Client[] = [];
	for (let c = 0; c < CLIENTS; c++) {
		const pairs: Client['pairs'] = [];
		for (let s = 0; s < SCHOOLS_PER_CLIENT; s++) {
			const i = c * SCHOOLS_PER_CLIENT + s;
			const school = await insertSchool(db, { name: `Bench School ${run} ${i}`, urn: null, phase: 'secondary', town: 'Dover' });
			const contact = await person('school', i, school.id);
			const token = await createSession(db, contact.id);
			for (const sessionId of sessions) pairs.push({ token, sessionId });
		}
		// Interleave the schools, so each loop spreads its bookings over sessions.
		pairs.sort(() => Math.random() - 0.5);
		clients.push({ pairs });
	}
	return clients;
}

// --- Booking over HTTP until the server dies ---------------------------------------------------

interface Tally {
	acknowledged: Set<string>;
	inFlightAtKill: number;
	unexpected: string[];
}

async function bookUntilDown(client: Client, tally: Tally, alive: { up: boolean }): Promise<void> {
	while (alive.up) {
		const pair = client.pairs.pop();
		if (!pair) return;
		const form = new URLSearchParams({
			schoolId: '',
			yearGroup: 'Y7',
			places: '1',
			contactName: 'Bench Contact',
			contactPhone: '01304 872000',
			classNames: '',
			accessNeeds: '',
			idempotencyKey: randomUUID()
		});
		try {
			const response = await fetch(`${base}/sessions/${pair.sessionId}/book`, {
				method: 'POST',
				body: form,
				// As a browser's form post: asked for JSON, SvelteKit would answer a redirect with a 200.
				headers: { cookie: `session=${pair.token}`, origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				redirect: 'manual'
			});
			const location = response.headers.get('location') ?? '';
			const id = /^\/bookings\/([0-9a-f-]{36})\?/.exec(location)?.[1];
			if (response.status === 303 && id) tally.acknowledged.add(id);
			else tally.unexpected.push(`${response.status} ${location}`);
		} catch {
			// The server died with this request open: it may or may not have committed.
			tally.inFlightAtKill++;
			return;
		}
	}
}

// --- Counting ----------------------------------------------------------------------------------

async function count(database: AppDatabase, tally: Tally, received: string[]) {
	const db = database.db;
	const committed = (await db.selectFrom('booking').select('id').execute()).map((r) => r.id);
	const outbox = await db.selectFrom('outbox_message').select(['to_address', 'subject', 'status']).where('subject', 'like', 'Booking confirmed:%').execute();
	const rows = new Map<string, number>();
	for (const row of outbox) rows.set(`${row.to_address} ${row.subject}`, (rows.get(`${row.to_address} ${row.subject}`) ?? 0) + 1);
	const contacts = await db.selectFrom('app_user').select(['email', 'school_id']).where('role', '=', 'school').execute();
	const contactOf = new Map(contacts.map((c) => [c.school_id, c.email]));
	const emailsFor = async (id: string) => {
		const detail = (await findBookingDetail(db, id))!;
		return rows.get(`${contactOf.get(detail.school_id)} ${bookingEmailText('confirmed', detail).subject}`) ?? 0;
	};
	let committedWithout = 0;
	let committedWithMore = 0;
	let acknowledgedWithout = 0;
	for (const id of committed) {
		const emails = await emailsFor(id);
		if (emails === 0) committedWithout++;
		if (emails > 1) committedWithMore++;
		if (emails === 0 && tally.acknowledged.has(id)) acknowledgedWithout++;
	}
	const deliveries = new Map<string, number>();
	for (const text of received) {
		const id = /\/bookings\/([0-9a-f-]{36})/.exec(text)?.[1];
		if (id) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
	}
	const statuses = await db
		.selectFrom('outbox_message')
		.select(['status', (eb) => eb.fn.countAll<number>().as('n')])
		.groupBy('status')
		.execute();
	return {
		committed: committed.length,
		confirmationRows: outbox.length,
		committedWithout,
		committedWithMore,
		acknowledgedWithout,
		acknowledgedNotCommitted: [...tally.acknowledged].filter((id) => !committed.includes(id)).length,
		deliveredBookings: deliveries.size,
		deliveredTwice: [...deliveries.values()].filter((n) => n > 1).length,
		committedNotDelivered: committed.filter((id) => !deliveries.has(id)).length,
		statuses: Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]))
	};
}

async function queuedCount(database: AppDatabase): Promise<{ queued: number; due: number }> {
	const row = await database.db
		.selectFrom('outbox_message')
		.select([sql<number>`count(*)::int`.as('queued'), sql<number>`(count(*) filter (where next_attempt_at <= now()))::int`.as('due')])
		.where('status', '=', 'queued')
		.executeTakeFirstOrThrow();
	return row;
}

// --- The run -----------------------------------------------------------------------------------

async function main() {
	if (!existsSync(built)) throw new Error('No build: run `npx vite build` first');
	const adminUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
	const name = `ypt_outbox_kill_${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name}`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 3 });
	const sink = await startSmtpSink();
	let app: ReturnType<typeof startApp> | undefined;
	try {
		await migrateToLatest(database.db);
		// Links in the emails carry this origin.
		process.env.ORIGIN = base;
		let started = Date.now();
		const clients = await buildWorld(database);
		console.log(`World built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
		const tally: Tally = { acknowledged: new Set(), inFlightAtKill: 0, unexpected: [] };
		for (let cycle = 1; cycle <= KILLS; cycle++) {
			app = startApp(url.toString(), sink.port);
			await waitUntilServing(app);
			const alive = { up: true };
			const before = tally.acknowledged.size;
			const loops = clients.map((client) => bookUntilDown(client, tally, alive));
			const ms = 3000 + Math.floor(Math.random() * 7000);
			await sleep(ms);
			await kill(app.child, 'SIGKILL');
			alive.up = false;
			await Promise.all(loops);
			console.log(
				`cycle ${cycle}: killed after ${(ms / 1000).toFixed(1)} s, ${tally.acknowledged.size - before} bookings acknowledged, ${sink.received.length} emails received so far`
			);
		}
		// A last start, left to deliver whatever is queued, then stopped properly.
		app = startApp(url.toString(), sink.port);
		await waitUntilServing(app);
		started = Date.now();
		const backlog = { messages: await queuedCount(database), received: sink.received.length, ms: 0, sent: 0 };
		for (let i = 0; i < 1200; i++) {
			const { queued, due } = await queuedCount(database);
			// Left: only messages a killed process had claimed, waiting for their lease to end.
			if (due === 0 && backlog.ms === 0) {
				backlog.ms = Date.now() - started;
				backlog.sent = sink.received.length - backlog.received;
			}
			if (queued === 0) break;
			await sleep(500);
		}
		const drained = Date.now() - started;
		await kill(app.child, 'SIGTERM');
		const figures = await count(database, tally, sink.received);
		console.log(
			[
				'',
				`kill -9 cycles:                                   ${KILLS} (${CLIENTS} clients booking 1 place each, over HTTP)`,
				`bookings acknowledged (303 to the booking):       ${tally.acknowledged.size}`,
				`requests open at a kill (answer never came):      ${tally.inFlightAtKill}`,
				`bookings committed:                               ${figures.committed}`,
				`acknowledged but not committed:                   ${figures.acknowledgedNotCommitted}`,
				`confirmation emails in the outbox:                ${figures.confirmationRows}`,
				`committed bookings without their confirmation:    ${figures.committedWithout} (acknowledged ones: ${figures.acknowledgedWithout})`,
				`committed bookings with more than one:            ${figures.committedWithMore}`,
				`confirmations the SMTP server received (distinct): ${figures.deliveredBookings}, ${sink.received.length} messages in all`,
				`  received twice (a kill between send and mark):  ${figures.deliveredTwice}`,
				`  committed but never received:                   ${figures.committedNotDelivered}`,
				`queued at the last start:                         ${backlog.messages.queued}, of which ${backlog.messages.queued - backlog.messages.due} held by a killed process's claim`,
				`  the rest delivered in ${(backlog.ms / 1000).toFixed(1)} s (${backlog.sent}, ${((backlog.sent * 1000) / Math.max(1, backlog.ms)).toFixed(1)} a second); held ones after their lease; all in ${(drained / 1000).toFixed(1)} s`,
				`outbox at the end:                                ${JSON.stringify(figures.statuses)}`,
				`other answers:                                    ${tally.unexpected.length}${tally.unexpected.length ? ` (${tally.unexpected.slice(0, 3).join('; ')})` : ''}`
			].join('\n')
		);
	} finally {
		if (app) await kill(app.child, 'SIGKILL');
		sink.server.close();
		await database.close();
		if (!process.env.KEEP) await admin.query(`drop database if exists ${name} with (force)`);
		else console.log(`Kept the database ${name}`);
		await admin.end();
	}
}

await main();

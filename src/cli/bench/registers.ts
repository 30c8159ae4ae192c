// Times saveMarks for the Youth Conference: 802 Year 8 pupils marked in one call, 20 times
// over, against a migrated PostgreSQL database: a first save (802 new marks) and a re-save
// that changes all 802, each based on version 1, as the register form sends them.
// `npx tsx -e "import('./src/cli/bench/registers.ts').then(async m => console.log(await m.benchRegisterSave(process.env.DATABASE_URL)))"`
//
// It adds its own school, lead, programme, session and 802 young people (named "Bench ...
// <run>") and leaves them there, with the audit rows the saves write: use a throwaway database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateToLatest } from '../../lib/server/db/migrate';
import type { Actor } from '../../lib/server/auth/session';
import { saveMarks } from '../../lib/server/attendance/attendance.service';
import { openDatabase } from '../../lib/server/db/database';
import type { AttendanceStatus } from '../../lib/server/db/schema';
import { createProgramme } from '../../lib/server/programmes/programmes.service';
import { insertSchool } from '../../lib/server/schools/schools.queries';
import { scheduleSessions } from '../../lib/server/sessions/sessions.service';
import { insertUser } from '../../lib/server/users/users.queries';

const PUPILS = 802;
const WARM_UP_RUNS = 2;
const TIMED_RUNS = 20;
// A session in the 2029-30 academic year, scheduled well before and marked after it starts.
const SCHEDULED_AT = new Date('2030-01-07T09:00:00Z');
const STARTED = new Date('2030-03-20T10:00:00Z');
const RECEPTION_YEAR_OF_YEAR_8 = 2029 - 8;

/** On PostgreSQL at `url`, or (with no url) on an embedded PGlite database made and removed here. */
export async function benchRegisterSave(url?: string): Promise<{ name: string; figure: string }[]> {
	const dataDir = url ? undefined : mkdtempSync(join(tmpdir(), 'ypt-bench-pglite-'));
	const database = await openDatabase(url ? { kind: 'postgres', url, poolSize: 2 } : { kind: 'pglite', dataDir: dataDir! });
	if (!url) await migrateToLatest(database.db);
	try {
		const db = database.db;
		const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
		const person = async (role: 'admin' | 'lead'): Promise<Actor> => {
			const email = `bench-${run}-${role}@example.org`;
			const name = `Bench ${role} ${run}`;
			const { id } = await insertUser(db, { email, name, role, schoolId: null, status: 'invited' });
			return { id, email, name, role, schoolId: null, address: '192.0.2.250' };
		};
		const admin = await person('admin');
		const lead = await person('lead');
		const school = await insertSchool(db, { name: `Bench School ${run}`, urn: null, phase: 'secondary', town: 'Dover' });
		const programme = await createProgramme(db, admin, {
			name: `Bench register ${run}`,
			shape: 'event',
			description: 'Made by the register benchmark',
			partnershipPriority: 'Safer Communities',
			pccTags: '',
			yearGroups: ['Y8'],
			registerKind: 'named',
			leadIds: [lead.id]
		});
		if (!programme.ok) throw new Error(`The benchmark programme was refused: ${JSON.stringify(programme)}`);
		const scheduled = await scheduleSessions(
			db,
			lead,
			programme.id,
			{
				date: '2030-03-20',
				startTime: '09:30',
				endTime: '15:00',
				venue: 'Benchmark Hall',
				capacity: String(PUPILS),
				bookingOpens: '2030-03-01',
				bookingCloses: '2030-03-15',
				yearGroups: ['Y8'],
				schoolCap: '',
				requiresApproval: false,
				rotationMinutes: '',
				repeat: 'none',
				repeatUntil: '',
				repeatCount: '',
				// Dates are counted from today and may fall in the school holidays: schedule them all the same.
				confirmHoliday: true
			},
			SCHEDULED_AT
		);
		const sessionId = scheduled.ok ? scheduled.ids[0] : undefined;
		if (!sessionId) throw new Error(`The benchmark session was refused: ${JSON.stringify(scheduled)}`);
		await db
			.insertInto('booking')
			.values({
				session_id: sessionId,
				school_id: school.id,
				year_group: 'Y8',
				places: PUPILS,
				confirmed_places: PUPILS,
				status: 'confirmed',
				contact_name: 'Bench Contact',
				contact_phone: '01304 000000',
				queued_at: SCHEDULED_AT,
				created_by: lead.id
			})
			.execute();
		const people = await db
			.insertInto('young_person')
			.values(
				Array.from({ length: PUPILS }, (_, i) => ({
					school_id: school.id,
					first_name: `Bench${i}`,
					last_name: `Pupil ${run}`,
					reception_year: RECEPTION_YEAR_OF_YEAR_8
				}))
			)
			.returning('id')
			.execute();
		// The form sends only changes, each with the version it was based on: first every mark
		// new, then every one changed from version 1.
		const marks = (status: (i: number) => AttendanceStatus, basedOn: number | null) =>
			people.map((p, i) => ({ youngPersonId: p.id, status: status(i), basedOn }));
		const allPresent = marks(() => 'present', null);
		const allChanged = marks((i) => (i % 2 === 0 ? 'late' : 'left_early'), 1);

		const timed = async (work: () => Promise<unknown>) => {
			const start = performance.now();
			const result = await work();
			const ms = performance.now() - start;
			if (!(result as { ok: boolean }).ok) throw new Error(`saveMarks refused the benchmark: ${JSON.stringify(result)}`);
			return ms;
		};
		const first: number[] = [];
		const resave: number[] = [];
		for (let i = 0; i < WARM_UP_RUNS + TIMED_RUNS; i++) {
			// Each round starts from an empty register, outside the timing.
			await db.deleteFrom('attendance_mark').where('session_id', '=', sessionId).execute();
			const a = await timed(() => saveMarks(db, lead, sessionId, allPresent, STARTED));
			const b = await timed(() => saveMarks(db, lead, sessionId, allChanged, STARTED));
			if (i >= WARM_UP_RUNS) {
				first.push(a);
				resave.push(b);
			}
		}
		const stored = await db
			.selectFrom('attendance_mark')
			.select(db.fn.countAll<number>().as('n'))
			.where('session_id', '=', sessionId)
			.executeTakeFirstOrThrow();
		if (Number(stored.n) !== PUPILS) throw new Error(`Expected ${PUPILS} marks, found ${stored.n}`);

		const at = (times: number[], q: number) => {
			const sorted = [...times].sort((x, y) => x - y);
			return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
		};
		const ms = (n: number) => `${n.toFixed(1)} ms`;
		const name = `saveMarks on ${url ? 'PostgreSQL' : 'PGlite'}, ${PUPILS} marks in one call`;
		return [
			{ name: `${name}, first save: median of ${TIMED_RUNS}`, figure: ms(at(first, 0.5)) },
			{ name: `${name}, first save: p95 of ${TIMED_RUNS}`, figure: ms(at(first, 0.95)) },
			{ name: `${name}, re-save changing all 802 from version 1: median of ${TIMED_RUNS}`, figure: ms(at(resave, 0.5)) },
			{ name: `${name}, re-save changing all 802 from version 1: p95 of ${TIMED_RUNS}`, figure: ms(at(resave, 0.95)) }
		];
	} finally {
		await database.close();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	}
}

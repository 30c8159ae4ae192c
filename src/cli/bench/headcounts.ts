// Times saveHeadcounts for a large headcount register: 40 schools, each counting Year 8 pupils
// and their parents (80 counts), every count changed in one save, each based on the version the
// page showed, 20 times over; the versions are read before each save, outside the timing.
// `npx tsx -e "import('./src/cli/bench/headcounts.ts').then(async m => console.log(await m.benchHeadcountSave(process.env.DATABASE_URL)))"`
//
// It adds its own schools, lead, programme and session (named "Bench ... <run>") and leaves
// them there, with the audit rows the saves write: use a throwaway database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateToLatest } from '../../lib/server/db/migrate';
import type { Actor } from '../../lib/server/auth/session';
import { getHeadcounts, saveHeadcounts } from '../../lib/server/attendance/attendance.service';
import { openDatabase } from '../../lib/server/db/database';
import { createProgramme } from '../../lib/server/programmes/programmes.service';
import { insertSchool } from '../../lib/server/schools/schools.queries';
import { scheduleSessions } from '../../lib/server/sessions/sessions.service';
import { insertUser } from '../../lib/server/users/users.queries';

const SCHOOLS = 40;
const YEAR_GROUPS = ['Y8', 'parents'] as const;
const WARM_UP_RUNS = 2;
const TIMED_RUNS = 20;
const SCHEDULED_AT = new Date('2030-01-07T09:00:00Z');
const STARTED = new Date('2030-03-20T10:00:00Z');

/** On PostgreSQL at `url`, or (with no url) on an embedded PGlite database made and removed here. */
export async function benchHeadcountSave(url?: string): Promise<{ name: string; figure: string }[]> {
	const dataDir = url ? undefined : mkdtempSync(join(tmpdir(), 'ypt-bench-pglite-'));
	const database = await openDatabase(url ? { kind: 'postgres', url, poolSize: 2 } : { kind: 'pglite', dataDir: dataDir! });
	if (!url) await migrateToLatest(database.db);
	try {
		const db = database.db;
		const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
		const person = async (role: 'admin' | 'lead'): Promise<Actor> => {
			const email = `bench-counts-${run}-${role}@example.org`;
			const name = `Bench ${role} ${run}`;
			const { id } = await insertUser(db, { email, name, role, schoolId: null, status: 'invited' });
			return { id, email, name, role, schoolId: null, address: '192.0.2.250' };
		};
		const admin = await person('admin');
		const lead = await person('lead');
		const programme = await createProgramme(db, admin, {
			name: `Bench headcount ${run}`,
			shape: 'workshop',
			description: 'Made by the headcount benchmark',
			partnershipPriority: 'Safer Communities',
			pccTags: '',
			yearGroups: [...YEAR_GROUPS],
			registerKind: 'headcount',
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
				capacity: String(SCHOOLS * YEAR_GROUPS.length * 30),
				bookingOpens: '2030-03-01',
				bookingCloses: '2030-03-15',
				yearGroups: [...YEAR_GROUPS],
				schoolCap: '',
				requiresApproval: false,
				rotationMinutes: '',
				repeat: 'none',
				repeatUntil: '',
				repeatCount: '',
				confirmHoliday: true
			},
			SCHEDULED_AT
		);
		const sessionId = scheduled.ok ? scheduled.ids[0] : undefined;
		if (!sessionId) throw new Error(`The benchmark session was refused: ${JSON.stringify(scheduled)}`);
		for (let i = 0; i < SCHOOLS; i++) {
			const school = await insertSchool(db, { name: `Bench School ${i} ${run}`, urn: null, phase: 'secondary', town: 'Dover' });
			await db
				.insertInto('booking')
				.values(
					YEAR_GROUPS.map((yearGroup) => ({
						session_id: sessionId,
						school_id: school.id,
						year_group: yearGroup,
						places: 30,
						confirmed_places: 30,
						status: 'confirmed' as const,
						contact_name: 'Bench Contact',
						contact_phone: '01304 000000',
						queued_at: SCHEDULED_AT,
						created_by: lead.id
					}))
				)
				.execute();
		}

		const times: number[] = [];
		for (let i = 0; i < WARM_UP_RUNS + TIMED_RUNS; i++) {
			// Every count changed, based on the version the page would show: read outside the timing.
			const { counts } = await getHeadcounts(db, lead, sessionId);
			const changes = counts.map((c) => ({ schoolId: c.school_id, yearGroup: c.year_group, count: (i % 25) + 1, basedOn: c.version }));
			const start = performance.now();
			const result = await saveHeadcounts(db, lead, sessionId, changes, STARTED);
			const ms = performance.now() - start;
			if (!result.ok || result.changed !== changes.length) throw new Error(`saveHeadcounts did not save every count: ${JSON.stringify(result)}`);
			if (i >= WARM_UP_RUNS) times.push(ms);
		}
		const at = (q: number) => [...times].sort((x, y) => x - y)[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? Number.NaN;
		const name = `saveHeadcounts on ${url ? 'PostgreSQL' : 'PGlite'}, ${SCHOOLS * YEAR_GROUPS.length} counts changed in one save`;
		return [
			{ name: `${name}: median of ${TIMED_RUNS}`, figure: `${at(0.5).toFixed(1)} ms` },
			{ name: `${name}: p95 of ${TIMED_RUNS}`, figure: `${at(0.95).toFixed(1)} ms` }
		];
	} finally {
		await database.close();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	}
}

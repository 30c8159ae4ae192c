// Times bookPlaces when 20 schools ask for the last places of a 5-place session at the same
// moment, 50 times over, against a migrated PostgreSQL database, and checks that no round
// confirmed more places than the session has.
// `npx tsx -e "import('./src/cli/bench/bookings.ts').then(async m => console.log(await m.benchBookingContention(process.env.DATABASE_URL)))"`
//
// It adds its own programme, lead, schools and contacts (named "Bench ... <run>") and leaves
// them there: use a throwaway database. The contacts are invited, not active, so no booking
// email is written (with active contacts, each booking writes its emails into the outbox inside
// its transaction, while it holds the session's lock).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Actor } from '../../lib/server/auth/session';
import { bookPlaces } from '../../lib/server/bookings/bookings.service';
import { sumConfirmedPlaces } from '../../lib/server/bookings/bookings.queries';
import { openDatabase } from '../../lib/server/db/database';
import type { Role } from '../../lib/server/db/schema';
import { createProgramme } from '../../lib/server/programmes/programmes.service';
import { insertSchool } from '../../lib/server/schools/schools.queries';
import { scheduleSessions } from '../../lib/server/sessions/sessions.service';
import { addDays, londonParts } from '../../lib/server/time';
import { insertUser } from '../../lib/server/users/users.queries';

const ROUNDS = 50;
const WARM_UP_ROUNDS = 2;
const SCHOOLS = 20;
const CAPACITY = 5;

export async function benchBookingContention(url: string): Promise<{ name: string; figure: string }[]> {
	const database = await openDatabase({ kind: 'postgres', url, poolSize: SCHOOLS + 5 });
	try {
		const db = database.db;
		const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
		const person = async (role: Role, i: number, schoolId: string | null): Promise<Actor> => {
			const email = `bench-${run}-${role}-${i}@example.org`;
			const name = `Bench ${role} ${run} ${i}`;
			const { id } = await insertUser(db, { email, name, role, schoolId, status: 'invited' });
			return { id, email, name, role, schoolId, address: '192.0.2.250' };
		};
		const admin = await person('admin', 0, null);
		const lead = await person('lead', 0, null);
		const contacts: Actor[] = [];
		for (let i = 0; i < SCHOOLS; i++) {
			const school = await insertSchool(db, { name: `Bench School ${run} ${i}`, urn: null, phase: 'secondary', town: 'Dover' });
			contacts.push(await person('school', i, school.id));
		}
		const programme = await createProgramme(db, admin, {
			name: `Bench contention ${run}`,
			shape: 'event',
			description: 'Made by the booking contention benchmark',
			partnershipPriority: 'Safer Communities',
			pccTags: '',
			yearGroups: ['Y7'],
			registerKind: 'headcount',
			leadIds: [lead.id]
		});
		if (!programme.ok) throw new Error(`The benchmark programme was refused: ${JSON.stringify(programme)}`);

		// Sessions a month ahead with booking open since yesterday, so requests use the real clock.
		const today = londonParts(new Date()).date;
		const newSession = async () => {
			const scheduled = await scheduleSessions(db, lead, programme.id, {
				date: addDays(today, 30),
				startTime: '09:30',
				endTime: '12:00',
				venue: 'Benchmark Hall',
				capacity: String(CAPACITY),
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
			if (!scheduled.ok || !scheduled.ids[0]) throw new Error(`The benchmark session was refused: ${JSON.stringify(scheduled)}`);
			return scheduled.ids[0];
		};
		const request = async (contact: Actor, sessionId: string, round: number, i: number) => {
			const start = performance.now();
			const result = await bookPlaces(db, contact, sessionId, {
				schoolId: '',
				yearGroup: 'Y7',
				places: '1',
				contactName: 'Bench Contact',
				contactPhone: '01304 872000',
				classNames: '',
				accessNeeds: '',
				idempotencyKey: randomUUID()
			});
			if (!result.ok) throw new Error(`Round ${round}, request ${i} was refused: ${JSON.stringify(result)}`);
			return performance.now() - start;
		};

		const times: number[] = [];
		const wrongRounds: string[] = [];
		for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
			const sessionId = await newSession();
			const roundTimes = await Promise.all(contacts.map((contact, i) => request(contact, sessionId, round, i)));
			if (round < WARM_UP_ROUNDS) continue;
			times.push(...roundTimes);
			const confirmed = await sumConfirmedPlaces(db, sessionId);
			if (confirmed !== CAPACITY) wrongRounds.push(`round ${round - WARM_UP_ROUNDS + 1}: ${confirmed}`);
		}
		times.sort((a, b) => a - b);
		const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? Number.NaN;
		const ms = (value: number) => `${value.toFixed(1)} ms`;

		const name = `booking contention, ${SCHOOLS} concurrent 1-place requests for a ${CAPACITY}-place session x ${ROUNDS} rounds`;
		return [
			{ name: `${name}: per-request p50 of ${times.length}`, figure: ms(at(0.5)) },
			{ name: `${name}: per-request p95 of ${times.length}`, figure: ms(at(0.95)) },
			{
				name: `${name}: places confirmed`,
				figure: wrongRounds.length === 0 ? `${CAPACITY} of ${CAPACITY} every round` : `not ${CAPACITY} in ${wrongRounds.join(', ')}`
			}
		];
	} finally {
		await database.close();
	}
}

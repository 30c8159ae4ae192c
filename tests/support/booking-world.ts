import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../src/lib/server/auth/session';
import { bookPlaces } from '../../src/lib/server/bookings/bookings.service';
import type { BookingValues } from '../../src/lib/server/bookings/bookings.schema';
import type { AppDatabase } from '../../src/lib/server/db/database';
import type { DB, SchoolPhase } from '../../src/lib/server/db/schema';
import { createProgramme } from '../../src/lib/server/programmes/programmes.service';
import type { ProgrammeValues } from '../../src/lib/server/programmes/programmes.schema';
import { scheduleSessions } from '../../src/lib/server/sessions/sessions.service';
import type { SessionValues } from '../../src/lib/server/sessions/sessions.schema';
import { makeActor, makeSchool } from './factories';
import { copyPostgresTemplate } from './database';

// Programmes, sessions and bookings built through the services, so a test's world obeys the
// same rules as the one it checks. Every time is explicit: the clock never decides a test.

/** When the default session is scheduled: well before it. */
export const SCHEDULED_AT = new Date('2030-01-07T09:00:00Z');
/** Inside the default session's booking window (1 to 15 March 2030). */
export const OPEN = new Date('2030-03-05T10:00:00Z');
/** A moment `n` minutes into the booking window: bookings made at later moments queue behind. */
export const minutesIntoWindow = (n: number) => new Date(OPEN.getTime() + n * 60_000);

let sequence = 0;
const unique = () => `${Date.now().toString(36)}-${(++sequence).toString(36)}`;

export interface ProgrammeWorld {
	admin: Actor;
	lead: Actor;
	programmeId: string;
}

/** The form for a programme for Year 5 to Year 10 led by `leadId`, as createLedProgramme fills it in. */
export function ledProgrammeValues(leadId: string, overrides: Partial<ProgrammeValues> = {}): ProgrammeValues {
	return {
		name: `Safety in Action ${unique()}`,
		shape: 'event',
		description: '',
		partnershipPriority: 'Safer Communities',
		pccTags: '',
		yearGroups: ['Y5', 'Y6', 'Y7', 'Y8', 'Y9', 'Y10'],
		registerKind: 'headcount',
		leadIds: [leadId],
		...overrides
	};
}

/** A programme for Year 5 to Year 10, created through the service by an admin, with one lead (factories.makeProgramme inserts a bare row instead). */
export async function createLedProgramme(db: Kysely<DB>, overrides: Partial<ProgrammeValues> = {}): Promise<ProgrammeWorld> {
	const admin = await makeActor(db, { role: 'admin' });
	const lead = await makeActor(db, { role: 'lead' });
	const result = await createProgramme(db, admin, ledProgrammeValues(lead.id, overrides));
	if (!result.ok) throw new Error(`createProgramme refused the test programme: ${JSON.stringify(result)}`);
	return { admin, lead, programmeId: result.id };
}

/** The form for one session on Wednesday 20 March 2030, 09:30 to 15:00, booking 1 to 15 March. */
export function sessionValues(overrides: Partial<SessionValues> = {}): SessionValues {
	return {
		date: '2030-03-20',
		startTime: '09:30',
		endTime: '15:00',
		venue: 'Dover Town Hall',
		capacity: '30',
		bookingOpens: '2030-03-01',
		bookingCloses: '2030-03-15',
		yearGroups: ['Y6', 'Y7', 'Y8'],
		schoolCap: '',
		requiresApproval: false,
		rotationMinutes: '',
		repeat: 'none',
		repeatUntil: '',
		repeatCount: '',
		...overrides
	};
}

/** Schedules one session through the service as the programme's lead and returns its id (factories.makeSession inserts a bare row instead). */
export async function scheduleLeadSession(db: Kysely<DB>, world: ProgrammeWorld, overrides: Partial<SessionValues> = {}, now = SCHEDULED_AT): Promise<string> {
	const result = await scheduleSessions(db, world.lead, world.programmeId, sessionValues(overrides), now);
	if (!result.ok || !result.ids[0]) throw new Error(`scheduleSessions refused the test session: ${JSON.stringify(result)}`);
	return result.ids[0];
}

/** A school of the phase with one active contact, who signs in as the returned actor. */
export async function makeContact(db: Kysely<DB>, phase: SchoolPhase = 'secondary'): Promise<Actor> {
	const school = await makeSchool(db, { phase });
	return makeActor(db, { role: 'school', schoolId: school.id });
}

export function bookingValues(overrides: Partial<BookingValues> = {}): BookingValues {
	return {
		schoolId: '',
		yearGroup: 'Y7',
		places: '1',
		contactName: 'Sam Okafor',
		contactPhone: '01304 872000',
		classNames: '',
		accessNeeds: '',
		idempotencyKey: randomUUID(),
		...overrides
	};
}

/** Books `places` Year 7 places as the actor, by default at OPEN. */
export function book(db: Kysely<DB>, actor: Actor, sessionId: string, places: number, now = OPEN, overrides: Partial<BookingValues> = {}) {
	return bookPlaces(db, actor, sessionId, bookingValues({ places: String(places), ...overrides }), now);
}

/** A booking's status and places as stored. */
export async function storedBooking(db: Kysely<DB>, id: string) {
	return db.selectFrom('booking').select(['status', 'places', 'confirmed_places']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Places granted at a session, counted straight from the table. */
export async function confirmedPlaces(db: Kysely<DB>, sessionId: string): Promise<number> {
	const row = await db
		.selectFrom('booking')
		.select(sql<number>`coalesce(sum(confirmed_places), 0)::int`.as('places'))
		.where('session_id', '=', sessionId)
		.where('status', 'in', ['confirmed', 'waitlisted'])
		.executeTakeFirstOrThrow();
	return row.places;
}

/** Subjects of the messages kept in the outbox for an address (tests run with SMTP_URL empty). */
export async function outboxSubjects(db: Kysely<DB>, to: string): Promise<string[]> {
	const rows = await db.selectFrom('outbox_message').select('subject').where('to_address', '=', to).orderBy('created_at').execute();
	return rows.map((r) => r.subject);
}

/** A PostgreSQL database of the caller's own whose address it knows: other processes can open it. */
export async function copyTemplateDatabase(): Promise<{ url: string; database: AppDatabase; drop(): Promise<void> }> {
	// A small pool: the caller builds its world here, and the racing is left to other processes.
	const database = await copyPostgresTemplate(5);
	return { url: database.url, database, drop: () => database.close() };
}

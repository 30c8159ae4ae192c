import type { Insertable, Kysely } from 'kysely';
import { hashPassword } from '../../src/lib/server/auth/password';
import type { Actor } from '../../src/lib/server/auth/session';
import type { BookingTable, DB, ProgrammeSessionTable, ProgrammeTable, Role, SchoolPhase, SchoolTown, UserStatus } from '../../src/lib/server/db/schema';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;
let sequence = 0;
const next = () => `${Date.now().toString(36)}${(++sequence).toString(36)}`;

export async function makeSchool(
	db: Kysely<DB>,
	overrides: Partial<{ name: string; urn: string | null; phase: SchoolPhase; town: SchoolTown; active: boolean }> = {}
) {
	return db
		.insertInto('school')
		.values({ name: `Test School ${next()}`, urn: null, phase: 'secondary', town: 'Dover', active: true, ...overrides })
		.returningAll()
		.executeTakeFirstOrThrow();
}

/** A user with the password PASSWORD; a school contact gets a school of their own unless given one. */
export async function makeUser(
	db: Kysely<DB>,
	overrides: Partial<{ email: string; name: string; role: Role; schoolId: string | null; status: UserStatus }> = {}
) {
	const role = overrides.role ?? 'admin';
	const schoolId = overrides.schoolId !== undefined ? overrides.schoolId : role === 'school' ? (await makeSchool(db)).id : null;
	const status = overrides.status ?? 'active';
	passwordHash ??= hashPassword(PASSWORD);
	return db
		.insertInto('app_user')
		.values({
			email: overrides.email ?? `user-${next()}@example.org`,
			name: overrides.name ?? 'Test User',
			role,
			school_id: schoolId,
			status,
			password_hash: status === 'invited' ? null : await passwordHash
		})
		.returning(['id', 'email', 'name', 'role', 'school_id', 'status'])
		.executeTakeFirstOrThrow();
}

export function actorFor(user: { id: string; email: string; name: string; role: Role; school_id: string | null }): Actor {
	return { id: user.id, email: user.email, name: user.name, role: user.role, schoolId: user.school_id, address: '192.0.2.1' };
}

export async function makeActor(db: Kysely<DB>, overrides: Parameters<typeof makeUser>[1] = {}): Promise<Actor> {
	return actorFor(await makeUser(db, overrides));
}

/** Every email kept for this address: tests run without SMTP_URL, so the outbox keeps the whole body. */
export async function emailsTo(db: Kysely<DB>, to: string) {
	return db.selectFrom('outbox_message').select(['subject', 'body_text', 'status']).where('to_address', '=', to).execute();
}

/** The secret of a `/invitation/<token>` or `/reset-password/<token>` link in an email's body. */
export function linkToken(body: string | null, path: 'invitation' | 'reset-password'): string {
	const match = body?.match(new RegExp(`/${path}/([a-z2-7]+)`));
	if (!match?.[1]) throw new Error(`No /${path}/ link in: ${body}`);
	return match[1];
}

export async function auditEvents(db: Kysely<DB>, action?: string) {
	let query = db.selectFrom('audit_event').select(['action', 'actor_id', 'entity_type', 'entity_id', 'detail', 'address']);
	if (action) query = query.where('action', '=', action);
	return query.orderBy('id').execute();
}

const DAY = 86_400_000;

/** A programme open to secondary year groups, unless told otherwise. */
export async function makeProgramme(db: Kysely<DB>, overrides: Partial<Insertable<ProgrammeTable>> = {}) {
	return db
		.insertInto('programme')
		.values({
			name: `Test Programme ${next()}`,
			shape: 'event',
			partnership_priority: 'Safer Communities',
			year_groups: ['Y7', 'Y8', 'Y9'],
			register_kind: 'headcount',
			...overrides
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/**
 * A scheduled session of two hours, 14 days ahead unless given `starts_at`, of a new programme
 * unless given `programme_id`; booking opens 30 days and closes 1 day before it starts.
 */
export async function makeSession(db: Kysely<DB>, overrides: Partial<Insertable<ProgrammeSessionTable>> = {}) {
	const startsAt = new Date(overrides.starts_at ?? Date.now() + 14 * DAY);
	const programmeId = overrides.programme_id ?? (await makeProgramme(db)).id;
	return db
		.insertInto('programme_session')
		.values({
			programme_id: programmeId,
			starts_at: startsAt,
			ends_at: new Date(startsAt.getTime() + 2 * 60 * 60 * 1000),
			venue: 'Dover Town Hall, Biggin Street, Dover',
			capacity: 60,
			booking_opens_at: new Date(startsAt.getTime() - 30 * DAY),
			booking_closes_at: new Date(startsAt.getTime() - DAY),
			year_groups: ['Y7', 'Y8', 'Y9'],
			...overrides
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

/**
 * A confirmed booking of 10 places (a waitlisted or requested one has none confirmed unless
 * given `confirmed_places`), at a new session and a new school unless given them.
 */
export async function makeBooking(db: Kysely<DB>, overrides: Partial<Insertable<BookingTable>> = {}) {
	const status = overrides.status ?? 'confirmed';
	const places = overrides.places ?? 10;
	const sessionId = overrides.session_id ?? (await makeSession(db)).id;
	const schoolId = overrides.school_id ?? (await makeSchool(db)).id;
	const createdBy = overrides.created_by ?? (await makeUser(db, { role: 'admin' })).id;
	return db
		.insertInto('booking')
		.values({
			session_id: sessionId,
			school_id: schoolId,
			year_group: 'Y8',
			places,
			confirmed_places: status === 'confirmed' ? places : 0,
			status,
			contact_name: 'Sam Teacher',
			contact_phone: '01304 000000',
			queued_at: new Date(),
			created_by: createdBy,
			...overrides
		})
		.returningAll()
		.executeTakeFirstOrThrow();
}

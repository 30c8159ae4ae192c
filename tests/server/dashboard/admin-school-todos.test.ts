import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../../src/lib/server/db/schema';
import type { Actor } from '../../../src/lib/server/auth/session';
import { getDashboard, type TodoItem } from '../../../src/lib/server/dashboard/dashboard.service';
import { listSchoolsPage } from '../../../src/lib/server/schools/schools.service';
import { readOutbox } from '../../../src/lib/server/email/outbox.service';
import { useTestDatabase } from '../../support/database';
import { actorFor, makeActor, makeBooking, makeSchool, makeSession, makeUser } from '../../support/factories';

const t = useTestDatabase();

const NOW = new Date('2030-03-20T10:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

async function todos(db: Kysely<DB>, actor: Actor): Promise<Record<string, TodoItem>> {
	const dashboard = await getDashboard(db, actor, NOW);
	const list = 'todos' in dashboard ? dashboard.todos : undefined;
	if (!list) throw new Error(`no to-do list for ${dashboard.role}`);
	return Object.fromEntries(list.map((todo) => [todo.key, todo]));
}

describe("the admin's to-dos", () => {
	it('counts invitations waiting and expired, emails given up on and schools with no active contact', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const invite = async (expiresInDays: number, used = false) => {
			const user = await makeUser(t.db, { role: 'lead', status: 'invited' });
			await t.db
				.insertInto('user_token')
				.values({ id: `token-${user.id}`, user_id: user.id, purpose: 'invitation', expires_at: at(expiresInDays), used_at: used ? at(-1) : null })
				.execute();
		};
		await invite(3);
		await invite(6);
		await invite(-1);
		await invite(5, true);

		const email = (status: 'failed' | 'sent' | 'queued' | 'kept', error: string | null = null) => ({
			to_address: 'someone@example.org',
			subject: 'Your booking',
			body_text: null,
			status,
			error,
			next_attempt_at: status === 'queued' ? NOW : null
		});
		await t.db
			.insertInto('outbox_message')
			.values([email('failed', 'refused'), email('failed', 'refused'), email('failed', 'refused'), email('sent'), email('queued', 'refused'), email('kept')])
			.execute();

		// A contact who can sign in covers their school; an invited or deactivated one does not, and a
		// deactivated school is not counted.
		const covered = await makeSchool(t.db);
		await makeUser(t.db, { role: 'school', schoolId: covered.id });
		const invitedOnly = await makeSchool(t.db);
		await makeUser(t.db, { role: 'school', schoolId: invitedOnly.id, status: 'invited' });
		const deactivatedOnly = await makeSchool(t.db);
		await makeUser(t.db, { role: 'school', schoolId: deactivatedOnly.id, status: 'deactivated' });
		await makeSchool(t.db, { active: false });
		// The invited contact above adds one more invitation with no link at all: expired.

		const list = await todos(t.db, admin);
		expect(list.invitations).toMatchObject({ count: 2, href: '/users?status=invited' });
		expect(list.expired).toMatchObject({ count: 3, href: '/users?status=invited' });
		expect(list.emails).toMatchObject({ count: 3, href: '/outbox?status=failed' });
		expect(list.schools).toMatchObject({ count: 2, href: '/schools?contact=none' });

		// Where the links go shows the same records.
		const schools = await listSchoolsPage(t.db, admin, { withoutContact: true }, 1);
		expect(schools.schools.map((s) => s.id).sort()).toEqual([invitedOnly.id, deactivatedOnly.id].sort());
		const failed = await readOutbox(t.db, admin, 1, 'failed');
		expect(failed.messages.map((m) => m.status)).toEqual(['failed', 'failed', 'failed']);
	});

	it('reads as done when nothing waits', async () => {
		const admin = await makeActor(t.db, { role: 'admin' });
		const list = await todos(t.db, admin);
		expect(Object.values(list).map((todo) => [todo.count, todo.none])).toEqual([
			[0, 'No invitations waiting'],
			[0, 'No expired invitations'],
			[0, 'No emails failed'],
			[0, 'Every school has an active contact']
		]);
	});
});

describe("a school contact's to-dos", () => {
	it("counts upcoming sessions with their own school's bookings, not another school's", async () => {
		const contact = actorFor(await makeUser(t.db, { role: 'school' }));
		const schoolId = contact.schoolId!;
		const other = await makeSchool(t.db);
		const upcoming = async (days: number, status: 'scheduled' | 'cancelled' = 'scheduled') => makeSession(t.db, { starts_at: at(days), status });

		const confirmed = await upcoming(3);
		await makeBooking(t.db, { session_id: confirmed.id, school_id: schoolId });
		await makeBooking(t.db, { session_id: confirmed.id, school_id: schoolId, year_group: 'Y9' });
		const waiting = await upcoming(10);
		await makeBooking(t.db, { session_id: waiting.id, school_id: schoolId, status: 'waitlisted' });
		const withdrawn = await upcoming(4);
		await makeBooking(t.db, { session_id: withdrawn.id, school_id: schoolId, status: 'cancelled' });
		const past = await upcoming(-2);
		await makeBooking(t.db, { session_id: past.id, school_id: schoolId });
		const cancelledSession = await upcoming(5, 'cancelled');
		await makeBooking(t.db, { session_id: cancelledSession.id, school_id: schoolId });
		const theirs = await upcoming(6);
		await makeBooking(t.db, { session_id: theirs.id, school_id: other.id });

		expect((await todos(t.db, contact)).booked).toMatchObject({ count: 2, href: '/bookings' });
		const otherContact = actorFor(await makeUser(t.db, { role: 'school', schoolId: other.id }));
		expect((await todos(t.db, otherContact)).booked!.count).toBe(1);
	});
});

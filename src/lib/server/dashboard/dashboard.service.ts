import type { Db } from '../db';
import type { Actor } from '../auth/session';
import { listAuditEvents } from '../audit/audit.queries';
import { auditActionLabel } from '../audit/audit.labels';
import { countSchoolsByPhase, countSchoolsByTownAndPhase, findSchool } from '../schools/schools.queries';
import { countUsersByRoleAndStatus, listUsers } from '../users/users.queries';
import { listProgrammes } from '../programmes/programmes.queries';
import { listSessions } from '../sessions/sessions.queries';
import { listBookingsForSchool } from '../bookings/bookings.queries';
import { countSessionNeeds } from '../sessions/sessions.queries';
import { nextSevenDaysEnd } from '../sessions/sessions.service';
import { countSchools } from '../schools/schools.queries';
import { checkAward } from '../awards/awards.rules';
import { NOT_MET_DAYS } from '../mentoring/mentoring.service';
import { addDays, londonParts } from '../time';
import * as queries from './dashboard.queries';

/**
 * One line of "What needs doing": how many are waiting, in words for one and for several, where
 * they are done, and what the line says when none are waiting (it stays on the list, as done).
 */
export interface TodoItem {
	key: string;
	count: number;
	one: string;
	many: string;
	none: string;
	href: string;
	hint: string;
}

/** The one page where several records' to-dos are done: the record's own when there is one, else the list. */
function onePlace(paths: string[], list: string): string {
	const distinct = [...new Set(paths)];
	return distinct.length === 1 ? distinct[0]! : list;
}

/** A lead's to-dos, over the programmes they lead only, as at `now`. */
export async function leadTodos(db: Db, programmeIds: string[], now: Date): Promise<TodoItem[]> {
	const today = londonParts(now).date;
	const sessions = await countSessionNeeds(db, programmeIds, now, nextSevenDaysEnd(now));
	const pairs = await queries.countPairsNotMetByCohort(db, programmeIds, today, addDays(today, -NOT_MET_DAYS));
	const awards = (await queries.listAwardsNotSignedOff(db, programmeIds)).filter((p) => checkAward(p.level, p.days).eligible);
	return [
		{
			key: 'register',
			count: sessions.register,
			one: 'register to take',
			many: 'registers to take',
			none: 'No registers waiting',
			href: '/sessions?need=register',
			hint: 'Sessions that have started with no attendance recorded'
		},
		{
			key: 'requests',
			count: sessions.requestedBookings,
			one: 'booking request to approve',
			many: 'booking requests to approve',
			none: 'No booking requests waiting',
			href: '/sessions?need=requests',
			hint: 'Schools asking for places at sessions that need your approval'
		},
		{
			key: 'waiting',
			count: sessions.waiting,
			one: 'waiting list with free places',
			many: 'waiting lists with free places',
			none: 'No waiting lists with free places',
			href: '/sessions?need=waiting',
			hint: 'Sessions with places free and schools still waiting for places'
		},
		{
			key: 'mentoring',
			count: pairs.reduce((total, c) => total + c.count, 0),
			one: 'mentoring pair not met for 4 weeks',
			many: 'mentoring pairs not met for 4 weeks',
			none: 'No mentoring pairs waiting',
			href: onePlace(
				pairs.map((c) => `/programmes/${c.programme_id}/mentoring?cohort=${c.cohort_id}`),
				'/programmes'
			),
			hint: "In this academic year's cohorts"
		},
		{
			key: 'awards',
			count: awards.length,
			one: 'award ready to sign off',
			many: 'awards ready to sign off',
			none: 'No awards waiting for sign-off',
			href: onePlace(
				awards.map((a) => `/programmes/${a.programme_id}/awards/${a.group_id}`),
				onePlace(
					awards.map((a) => `/programmes/${a.programme_id}/awards`),
					'/programmes'
				)
			),
			hint: 'Young people whose logged days meet their level'
		},
		{
			key: 'places',
			count: sessions.places,
			one: 'session in the next 7 days with places left',
			many: 'sessions in the next 7 days with places left',
			none: 'No sessions in the next 7 days with places left',
			href: '/sessions?need=places',
			hint: 'Places schools could still take'
		},
		{
			key: 'questionnaires',
			count: sessions.questionnaires,
			one: 'questionnaire still open',
			many: 'questionnaires still open',
			none: 'No questionnaires open',
			href: '/sessions?need=questionnaires',
			hint: 'Session codes young people can still answer with'
		}
	];
}

/** The partnership admin's to-dos, as at `now`. */
export async function adminTodos(db: Db, now: Date): Promise<TodoItem[]> {
	const invitations = await queries.countUnacceptedInvitations(db, now);
	return [
		{
			key: 'invitations',
			count: invitations.waiting,
			one: 'invitation not yet accepted',
			many: 'invitations not yet accepted',
			none: 'No invitations waiting',
			href: '/users?status=invited',
			hint: 'People invited who have not set their password'
		},
		{
			key: 'expired',
			count: invitations.expired,
			one: 'invitation expired before it was accepted',
			many: 'invitations expired before they were accepted',
			none: 'No expired invitations',
			href: '/users?status=invited',
			hint: 'Invite them again from their page'
		},
		{
			key: 'emails',
			count: await queries.countFailedEmails(db),
			one: 'email could not be sent',
			many: 'emails could not be sent',
			none: 'No emails failed',
			href: '/outbox?status=failed',
			hint: 'The outbox gave up after trying each one'
		},
		{
			key: 'schools',
			count: await countSchools(db, { withoutContact: true }),
			one: 'school with no active contact',
			many: 'schools with no active contact',
			none: 'Every school has an active contact',
			href: '/schools?contact=none',
			hint: 'No one there can book places or see their bookings'
		}
	];
}

/** A school contact's to-dos, for their own school only, as at `now`. */
export async function schoolTodos(db: Db, schoolId: string, now: Date): Promise<TodoItem[]> {
	return [
		{
			key: 'booked',
			count: await queries.countUpcomingBookedSessions(db, schoolId, now),
			one: "upcoming session with your school's bookings",
			many: "upcoming sessions with your school's bookings",
			none: 'No upcoming sessions booked',
			href: '/bookings',
			hint: 'Sessions coming up where your school holds places or is on the waiting list'
		}
	];
}

/** What each role's dashboard shows; every branch reads only what that role may see. */
export async function getDashboard(db: Db, actor: Actor, now = new Date()) {
	switch (actor.role) {
		case 'admin':
			return {
				role: 'admin' as const,
				schoolsByPhase: await countSchoolsByPhase(db),
				users: await countUsersByRoleAndStatus(db),
				recentEvents: (await listAuditEvents(db, { limit: 8, offset: 0 })).map((event) => ({ ...event, actionLabel: auditActionLabel(event.action) })),
				todos: await adminTodos(db, now)
			};
		case 'lead': {
			const programmes = await listProgrammes(db, { leadId: actor.id });
			const sessions = await listSessions(db, {
				programmeIds: programmes.map((p) => p.id),
				from: now,
				statuses: ['scheduled']
			});
			return {
				role: 'lead' as const,
				programmes,
				sessions: sessions.slice(0, 12),
				schoolsByPhase: await countSchoolsByPhase(db),
				todos: await leadTodos(
					db,
					programmes.map((p) => p.id),
					now
				)
			};
		}
		case 'school': {
			const school = await findSchool(db, actor.schoolId!);
			const colleagues = (await listUsers(db, { schoolId: actor.schoolId!, status: 'active' }))
				.filter((u) => u.id !== actor.id)
				.map((u) => ({ name: u.name, email: u.email }));
			const bookings = await listBookingsForSchool(db, actor.schoolId!, { from: now });
			return {
				role: 'school' as const,
				school: school!,
				colleagues,
				bookings: bookings.filter((b) => b.status !== 'cancelled'),
				todos: await schoolTodos(db, actor.schoolId!, now)
			};
		}
		case 'viewer':
			return { role: 'viewer' as const, schoolsByTownAndPhase: await countSchoolsByTownAndPhase(db) };
	}
}

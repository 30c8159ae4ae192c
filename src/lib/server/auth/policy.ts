import type { Db } from '../db';
import type { Role } from '../db/schema';
import { insertAuditEvent } from '../audit/audit.queries';
import { UUID } from '../forms';
import { phaseYearGroups } from '../../year-groups';
import { notFound } from '../result';
import * as reach from './access.queries';
import type { Actor } from './session';

/*
 * Who may see or change what: every access rule of the app, in one place. Each service
 * function calls one of these first. `authorise...` functions assert: a refusal is audited
 * (`access.refused`) and answered as a 404, exactly as for a record that does not exist.
 * `may...` functions answer yes or no, for lists and for what a page offers.
 *
 * | resource      | action                    | who                                                                           |
 * | ------------- | ------------------------- | ----------------------------------------------------------------------------- |
 * | programme     | list (choices)            | admin (all), lead (theirs), school contact (active ones)                      |
 * | programme     | list managed              | admin (all), lead (theirs): the programmes page                               |
 * | programme     | create, edit              | admin                                                                         |
 * | programme     | manage                    | admin; a lead of that programme (sessions, bookings, enrolments, cohorts)     |
 * | session       | list                      | admin, lead (their programmes'), school contact (open to their phase)         |
 * | session       | see, book                 | admin; lead of its programme; school contact if open to their phase or booked |
 * | session       | manage                    | admin; lead of its programme                                                  |
 * | booking       | see, change               | admin; lead of its programme; contact of its school                           |
 * | booking       | decide (request)          | admin; lead of its programme                                                  |
 * | booking       | approve (behalf)          | admin: makes a booking made on a school's behalf count for a lead's reach     |
 * | booking       | list own                  | school contact (their school's)                                               |
 * | school        | list                      | admin, lead                                                                   |
 * | school        | see                       | admin, lead, viewer; a school contact their own                               |
 * | school        | see contacts              | admin; a school contact their own school's                                    |
 * | school        | create, edit, import      | admin                                                                         |
 * | young person  | list, add (school)        | admin any school; contact their own; lead a school in reach                   |
 * | young person  | import                    | contact of that school                                                        |
 * | young person  | see, edit                 | as list, plus a lead: those an admin enrolled in, or marked on a register of, |
 * |               |                           | a programme they lead                                                         |
 * | register      | take                      | admin; lead of the session's programme                                        |
 * | register      | list a day's (to keep)    | admin (all); lead (their programmes')                                         |
 * | award         | keep, certificate         | admin; lead of the award programme                                            |
 * | award         | own pupil's cert.         | school contact, for a young person of their school, once signed off           |
 * | report        | see (options)             | admin, lead, viewer, school contact                                           |
 * | report        | district                  | admin, lead, viewer                                                           |
 * | report        | school                    | admin, lead, viewer; a school contact their own                               |
 * | report        | pcc return                | admin, lead, viewer                                                           |
 * | report        | programme detail          | admin; lead of that programme                                                 |
 * | report        | narrative                 | admin; lead of that programme                                                 |
 * | export        | pcc return, schools       | admin, lead, viewer                                                           |
 * | export        | a school's own records    | admin any school; a school contact their own                                  |
 * | young person  | erase (anonymise now)     | admin                                                                         |
 * | young person  | subject access export     | admin; a school contact, their own school's young people                      |
 * | user          | list, see, invite, change | admin                                                                         |
 * | audit         | see                       | admin                                                                         |
 * | outbox        | see                       | admin                                                                         |
 * | school term   | list, add, change         | admin                                                                         |
 * | calendar feed | keep                      | school contact (their school's)                                               |
 *
 * A lead's reach (the schools whose young people they keep) comes only from what the school or
 * an admin did: bookings (not cancelled) at a session of a programme they lead, made by the
 * school's own contact or approved by an admin. A booking a lead makes on a school's behalf is
 * flagged as such and widens nothing until an admin approves it. The SQL is in
 * access.queries.ts.
 */

export interface Target {
	entityType: string;
	entityId?: string;
}

/** Audits a refused request and answers it as if the record did not exist. */
export async function refuse(db: Db, actor: Actor, target: Target): Promise<never> {
	await insertAuditEvent(db, {
		actorId: actor.id,
		action: 'access.refused',
		entityType: target.entityType,
		entityId: target.entityId && UUID.test(target.entityId) ? target.entityId : undefined,
		detail: { role: actor.role },
		address: actor.address
	});
	notFound();
}

/** The rules that depend on the role alone. */
const roleRules = {
	'programme.list': ['admin', 'lead', 'school'],
	'programme.list_managed': ['admin', 'lead'],
	'programme.create': ['admin'],
	'programme.edit': ['admin'],
	'session.list': ['admin', 'lead', 'school'],
	'booking.list_own': ['school'],
	'booking.approve': ['admin'],
	'school.list': ['admin', 'lead'],
	'school.create': ['admin'],
	'school.edit': ['admin'],
	'school.import': ['admin'],
	'young_person.keep': ['admin', 'lead', 'school'],
	'young_person.import': ['school'],
	'young_person.erase': ['admin'],
	'young_person.subject_access': ['admin', 'school'],
	'register.take': ['admin', 'lead'],
	'award.own_certificate': ['school'],
	'report.see': ['admin', 'lead', 'viewer', 'school'],
	'report.district': ['admin', 'lead', 'viewer'],
	'report.school': ['admin', 'lead', 'viewer', 'school'],
	'report.programme': ['admin', 'lead'],
	'report.pcc_return': ['admin', 'lead', 'viewer'],
	'export.pcc_return': ['admin', 'lead', 'viewer'],
	'export.schools': ['admin', 'lead', 'viewer'],
	'export.school_records': ['admin', 'school'],
	'user.manage': ['admin'],
	'audit.see': ['admin'],
	'outbox.see': ['admin'],
	'term.manage': ['admin'],
	'calendar_feed.keep': ['school']
} as const satisfies Record<string, readonly Role[]>;

export type RoleRule = keyof typeof roleRules;

/** Whether the actor's role alone allows this. */
export function roleMay(actor: Actor, rule: RoleRule): boolean {
	return (roleRules[rule] as readonly Role[]).includes(actor.role);
}

async function requireRule(db: Db, actor: Actor, rule: RoleRule, target: Target): Promise<void> {
	if (!roleMay(actor, rule)) await refuse(db, actor, target);
}

const targetOf = (entityType: string, entityId?: string): Target => ({ entityType, entityId });

// Programmes

/** Whether the actor may manage this programme's sessions, bookings, enrolments, awards and cohorts. */
export async function mayManageProgramme(db: Db, actor: Actor, programmeId: string): Promise<boolean> {
	if (actor.role === 'admin') return true;
	return actor.role === 'lead' && UUID.test(programmeId) && (await reach.isProgrammeLead(db, programmeId, actor.id));
}

export type ProgrammeAction = 'list' | 'list_managed' | 'create' | 'edit' | 'manage';

export async function authoriseProgramme(db: Db, actor: Actor, action: ProgrammeAction, programmeId?: string): Promise<void> {
	const target = targetOf('programme', programmeId);
	if (action === 'list') return requireRule(db, actor, 'programme.list', target);
	if (action === 'list_managed') return requireRule(db, actor, 'programme.list_managed', target);
	if (action === 'create') return requireRule(db, actor, 'programme.create', target);
	if (action === 'edit') {
		await requireRule(db, actor, 'programme.edit', target);
		// Without a programme: the edit form's choices (the leads), for admins.
		if (!programmeId) return;
	}
	if (!programmeId || !(await mayManageProgramme(db, actor, programmeId))) await refuse(db, actor, target);
}

// Sessions

export interface SessionScope {
	id: string;
	programme_id: string;
	year_groups: readonly string[];
}

/** Whether a school contact may see a session: it is open to a year group their school's phase teaches, or their school booked it. */
async function schoolMaySeeSession(db: Db, actor: Actor, session: SessionScope): Promise<boolean> {
	if (actor.role !== 'school' || !actor.schoolId) return false;
	const school = await reach.findSchoolPhase(db, actor.schoolId);
	if (!school) return false;
	const teaches: readonly string[] = phaseYearGroups[school.phase];
	if (session.year_groups.some((g) => teaches.includes(g))) return true;
	return reach.schoolHasBookedSession(db, session.id, actor.schoolId);
}

export type SessionAction = 'see' | 'book' | 'manage';

/** Whether the actor may see, book at or manage a session. Report viewers see reports, not sessions. */
export async function maySession(db: Db, actor: Actor, session: SessionScope, action: SessionAction): Promise<boolean> {
	if (actor.role === 'school') return action !== 'manage' && schoolMaySeeSession(db, actor, session);
	return mayManageProgramme(db, actor, session.programme_id);
}

/** The session list: which sessions are listed is narrowed by role in the service. */
export async function authoriseSessionList(db: Db, actor: Actor): Promise<void> {
	await requireRule(db, actor, 'session.list', targetOf('session'));
}

/** A session (undefined when not found) the actor may see, book at or manage; anything else a 404. */
export async function authoriseSession<S extends SessionScope>(db: Db, actor: Actor, action: SessionAction, id: string, session: S | undefined): Promise<S> {
	if (session && (await maySession(db, actor, session, action))) return session;
	return refuse(db, actor, targetOf('session', id));
}

// Registers

/** A session whose register (attendance, headcounts, stations) the actor may take: admins and its programme's leads. */
export async function authoriseRegister<S extends SessionScope>(db: Db, actor: Actor, id: string, session: S | undefined): Promise<S> {
	await requireRule(db, actor, 'register.take', targetOf('session', id));
	return authoriseSession(db, actor, 'manage', id, session);
}

/** The registers of a day, to keep on a device: admins and leads (which sessions is narrowed by role in the service). */
export async function authoriseRegisterList(db: Db, actor: Actor): Promise<void> {
	await requireRule(db, actor, 'register.take', targetOf('session'));
}

// Bookings

export interface BookingScope {
	school_id: string;
	programme_id: string;
}

export type BookingAction = 'see' | 'change' | 'decide' | 'approve';

export async function mayBooking(db: Db, actor: Actor, booking: BookingScope, action: BookingAction): Promise<boolean> {
	if (action === 'approve') return roleMay(actor, 'booking.approve');
	if (actor.role === 'school') return action !== 'decide' && actor.schoolId === booking.school_id;
	return mayManageProgramme(db, actor, booking.programme_id);
}

/** A booking (undefined when not found) the actor may see, change, decide or approve; anything else a 404. */
export async function authoriseBooking<B extends BookingScope>(db: Db, actor: Actor, action: BookingAction, id: string, booking: B | undefined): Promise<B> {
	if (booking && (await mayBooking(db, actor, booking, action))) return booking;
	return refuse(db, actor, targetOf('booking', id));
}

/** "My school's bookings": school contacts only. */
export async function authoriseOwnBookings(db: Db, actor: Actor): Promise<string> {
	await requireRule(db, actor, 'booking.list_own', targetOf('booking'));
	return actor.schoolId ?? refuse(db, actor, targetOf('booking'));
}

/** Whether a booking this actor makes for this school is made on the school's behalf (by anyone but its own contact). */
export function bookingIsOnBehalf(actor: Actor, schoolId: string): boolean {
	return !(actor.role === 'school' && actor.schoolId === schoolId);
}

/** Whether a booking this actor makes on a school's behalf counts for reach at once: an admin's does. */
export function bookingApprovedAsMade(actor: Actor): boolean {
	return roleMay(actor, 'booking.approve');
}

// Schools

/** Whether the actor may see records of this school: admins, leads and viewers (in aggregate) all schools, contacts their own. */
export function maySeeSchool(actor: Actor, schoolId: string): boolean {
	return actor.role !== 'school' || actor.schoolId === schoolId;
}

/** Whether the actor may see who has access for a school: admins, and the school's own contacts. */
export function maySeeSchoolContacts(actor: Actor, schoolId: string): boolean {
	return actor.role === 'admin' || (actor.role === 'school' && actor.schoolId === schoolId);
}

export type SchoolAction = 'list' | 'see' | 'create' | 'edit' | 'import';

export async function authoriseSchool(db: Db, actor: Actor, action: SchoolAction, schoolId?: string): Promise<void> {
	const target = targetOf('school', schoolId);
	if (action === 'see') {
		if (!schoolId || !maySeeSchool(actor, schoolId)) await refuse(db, actor, target);
		return;
	}
	await requireRule(db, actor, `school.${action}`, target);
}

// Young people

/**
 * Whether the actor may keep a school's list of young people: its own contacts; admins, any
 * school; programme leads, the schools in their reach. Report viewers never see names.
 */
export async function mayKeepSchool(db: Db, actor: Actor, schoolId: string): Promise<boolean> {
	if (!UUID.test(schoolId)) return false;
	if (actor.role === 'admin') return true;
	if (actor.role === 'school') return actor.schoolId === schoolId;
	return actor.role === 'lead' && reach.leadReachesSchool(db, actor.id, schoolId);
}

/** The ids of the schools a lead reaches, or undefined for an admin (every school). */
export async function schoolsInReach(db: Db, actor: Actor): Promise<{ id: string; name: string }[] | undefined> {
	if (actor.role === 'admin') return undefined;
	if (actor.role === 'lead') return reach.listLeadSchools(db, actor.id);
	return [];
}

export type SchoolListAction = 'list' | 'add' | 'import';

/** The first line of every function on a school's list of young people: a school out of reach is a 404, audited. */
export async function authoriseSchoolList(db: Db, actor: Actor, action: SchoolListAction, schoolId: string): Promise<void> {
	const target = targetOf('school', schoolId);
	await requireRule(db, actor, action === 'import' ? 'young_person.import' : 'young_person.keep', target);
	if (!(await mayKeepSchool(db, actor, schoolId))) await refuse(db, actor, target);
}

/** The role check of the young people's pages before a school is chosen. */
export async function authoriseYoungPeople(db: Db, actor: Actor, action: 'keep' | 'import'): Promise<void> {
	await requireRule(db, actor, `young_person.${action}`, targetOf('young_person'));
}

/**
 * Whether the actor may see a young person: as for their school's list, and a lead also those
 * of other schools an admin enrolled in, or marked on a register of, a programme they lead.
 */
export async function maySeeYoungPerson(db: Db, actor: Actor, person: { id: string; school_id: string }): Promise<boolean> {
	if (!roleMay(actor, 'young_person.keep')) return false;
	if (await mayKeepSchool(db, actor, person.school_id)) return true;
	return actor.role === 'lead' && reach.leadReachesYoungPerson(db, actor.id, person.id);
}

/** A young person (undefined when not found) the actor may see or edit; anything else a 404, audited. */
export async function authoriseYoungPerson<P extends { id: string; school_id: string }>(
	db: Db,
	actor: Actor,
	action: 'see' | 'edit',
	id: string,
	person: P | undefined
): Promise<P> {
	const target = targetOf('young_person', id);
	await requireRule(db, actor, 'young_person.keep', target);
	if (person && (await maySeeYoungPerson(db, actor, person))) return person;
	return refuse(db, actor, target);
}

/** Erasing a young person on request: admins only, whatever school; anything else a 404, audited. */
export async function authoriseErasure<P extends { id: string }>(db: Db, actor: Actor, id: string, person: P | undefined): Promise<P> {
	const target = targetOf('young_person', id);
	await requireRule(db, actor, 'young_person.erase', target);
	return person ?? refuse(db, actor, target);
}

/**
 * Everything held about a young person (a subject access request): admins, and the contacts of
 * the young person's own school. A lead answers through an admin. Anything else a 404, audited.
 */
export async function authoriseSubjectAccess<P extends { id: string; school_id: string }>(db: Db, actor: Actor, id: string, person: P | undefined): Promise<P> {
	const target = targetOf('young_person', id);
	await requireRule(db, actor, 'young_person.subject_access', target);
	if (person && (actor.role === 'admin' || (actor.role === 'school' && actor.schoolId === person.school_id))) return person;
	return refuse(db, actor, target);
}

// Awards

/** An award programme's groups, participants and certificates: its admins and leads. */
export async function authoriseAward(db: Db, actor: Actor, programmeId: string): Promise<void> {
	await authoriseProgramme(db, actor, 'manage', programmeId);
}

/** A school contact's copy of their own pupil's certificate: the school whose pupils they may ask for. */
export async function authoriseOwnPupilCertificate(db: Db, actor: Actor, participantId: string): Promise<string> {
	const target = targetOf('award_participant', participantId);
	await requireRule(db, actor, 'award.own_certificate', target);
	return actor.schoolId ?? refuse(db, actor, target);
}

// Reports and exports

export type ReportAction = 'see' | 'district' | 'pcc_return' | 'school' | 'programme' | 'narrative';

/** A report page: `school` with the school's id, `programme` and `narrative` with the programme's. */
export async function authoriseReport(db: Db, actor: Actor, action: ReportAction, id?: string): Promise<void> {
	if (action === 'see' || action === 'district') return requireRule(db, actor, `report.${action}`, targetOf('report', id));
	if (action === 'pcc_return') return requireRule(db, actor, 'report.pcc_return', targetOf('pcc_return', id));
	if (action === 'school') {
		await requireRule(db, actor, 'report.school', targetOf('report', id));
		if (!id || !maySeeSchool(actor, id)) await refuse(db, actor, targetOf('school', id));
		return;
	}
	await requireRule(db, actor, 'report.programme', targetOf('report', id));
	if (!id || !(await mayManageProgramme(db, actor, id))) await refuse(db, actor, targetOf('programme', id));
}

/** A download: `school_records` with the school's id (its young people, bookings and attendance). */
export async function authoriseExport(db: Db, actor: Actor, kind: 'pcc_return' | 'schools' | 'school_records', schoolId?: string): Promise<void> {
	if (kind === 'school_records') {
		await requireRule(db, actor, 'export.school_records', targetOf('school', schoolId));
		if (!schoolId || !maySeeSchool(actor, schoolId)) await refuse(db, actor, targetOf('school', schoolId));
		return;
	}
	await requireRule(db, actor, `export.${kind}`, targetOf(kind === 'pcc_return' ? 'pcc_return' : 'report'));
}

// Users, the audit log, the outbox, calendar feeds

export async function authoriseUsers(db: Db, actor: Actor, userId?: string): Promise<void> {
	await requireRule(db, actor, 'user.manage', targetOf('user', userId));
}

export async function authoriseAudit(db: Db, actor: Actor): Promise<void> {
	await requireRule(db, actor, 'audit.see', targetOf('audit_event'));
}

export async function authoriseOutbox(db: Db, actor: Actor): Promise<void> {
	await requireRule(db, actor, 'outbox.see', targetOf('outbox_message'));
}

export async function authoriseTerms(db: Db, actor: Actor, termId?: string): Promise<void> {
	await requireRule(db, actor, 'term.manage', targetOf('school_term', termId));
}

export async function authoriseCalendarFeed(db: Db, actor: Actor): Promise<string> {
	const target = targetOf('calendar_feed', actor.schoolId ?? undefined);
	await requireRule(db, actor, 'calendar_feed.keep', target);
	return actor.schoolId ?? refuse(db, actor, target);
}

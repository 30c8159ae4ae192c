// The access matrix: every page, `__data.json`, form action and endpoint method under
// src/routes (read from the file system, tests/support/route-manifest.ts) × every kind of user ×
// objects inside and outside their scope, each answered as the table below says. A route without
// an entry in the table fails the test, and so does an entry for a route that is gone.
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse, type Browser } from '@playwright/test';
import { signIn } from './helpers';
import { readManifest, unitKey, type RouteEntry, type Unit } from '../support/route-manifest';

const ROLES = ['admin', 'leadAll', 'leadOne', 'schoolA', 'schoolB', 'viewer'] as const;
type SignedInRole = (typeof ROLES)[number];
type Role = SignedInRole | 'anonymous' | 'deactivated';

/**
 * ok: 2xx, or for a form action also a 400/409 (let through to validation) or a redirect after
 * success; re: a redirect somewhere other than sign-in; S: sent to sign in; nf: the 404 page.
 */
type Outcome = 'ok' | 're' | 'S' | 'nf';

interface Row {
	/**
	 * One outcome per object, for each signed-in role in the order
	 * admin | lead of everything | lead of one programme | school A (secondary) | school B (primary) | viewer.
	 */
	expect: string;
	/** Public routes: the outcome per object for anonymous visitors and deactivated users' cookies (else S). */
	anonymous?: string;
	/** The objects of this unit, when not the route's. */
	objects?: string[];
	/** The query string sent with an action, per object. */
	query?: (f: Fixtures, object: string) => string;
	/** Form fields sent with an action, per object (else an empty form). */
	body?: (f: Fixtures, object: string) => Record<string, string>;
	/**
	 * Destructive: the cases expected to succeed are not sent (they would cancel, archive or
	 * deactivate what the other cases read); the refusals are.
	 */
	destructive?: string;
}

interface Route {
	/** Named objects (see fixtures) whose ids fill the route's params; a never-existing id is added for every id param. */
	objects?: string[];
	/** `view` is the page and its `__data.json`; otherwise `page`, `data`, `action:<name>` or a method. */
	units: Record<string, string | Row>;
}

const ADMIN_ONLY = 'ok | nf | nf | nf | nf | nf';
const SCHOOLS_ONLY = 'nf | nf | nf | ok | ok | nf';
const EVERYONE = 'ok | ok | ok | ok | ok | ok';
const MANAGERS = 'ok | ok | ok | nf | nf | nf';

/**
 * The expected answers. Scope of the demo (see README) plus the users made in beforeAll:
 * "lead of one" leads only the John Muir Award (jma, secondary); school A (Astor College) booked
 * jma's upcoming session itself and school B (Barton Junior) booked Safety in Action Week's
 * (siaw, primary, carousel); the lead of everything booked siaw on behalf of school X, a primary
 * school that never booked anything itself (bookX): that booking must not widen any lead's reach
 * to X's young people.
 */
const table: Record<string, Route> = {
	'/': { units: { view: 're | re | re | re | re | re' } },
	'/accessibility': { units: { view: { expect: EVERYONE, anonymous: 'ok' } } },
	'/account/password': { units: { view: EVERYONE, 'action:default': EVERYONE } },
	// Anyone may see their own second factor; turning it off needs a code (and is refused where the role requires one).
	'/account/second-factor': { units: { view: EVERYONE, 'action:turnOff': EVERYONE } },
	'/audit': { units: { view: ADMIN_ONLY } },
	'/bookings': { units: { view: SCHOOLS_ONLY } },
	'/bookings/[id]': {
		objects: ['bookA', 'bookB', 'bookX'],
		units: {
			view: 'ok ok ok | ok ok ok | ok nf nf | ok nf nf | nf ok nf | nf nf nf',
			'action:change': 'ok ok ok | ok ok ok | ok nf nf | ok nf nf | nf ok nf | nf nf nf',
			// Only an admin approves a booking made on a school's behalf (bookX); approving the school's own is refused (400).
			'action:approve': {
				expect: 'ok ok ok | nf nf nf | nf nf nf | nf nf nf | nf nf nf | nf nf nf',
				destructive: "approves bookX, which would widen the lead's reach that the other cases test"
			},
			'action:cancel': { expect: 'ok ok ok | ok ok ok | ok nf nf | ok nf nf | nf ok nf | nf nf nf', destructive: 'cancels the booking' },
			// Undoing a cancellation: refused (400) for a booking that is not cancelled, by whoever may change it.
			'action:undo': 'ok ok ok | ok ok ok | ok nf nf | ok nf nf | nf ok nf | nf nf nf'
		}
	},
	// The page that asks before a booking is cancelled: for whoever may cancel it.
	'/bookings/[id]/cancel': { objects: ['bookA', 'bookB', 'bookX'], units: { view: 'ok ok ok | ok ok ok | ok nf nf | ok nf nf | nf ok nf | nf nf nf' } },
	'/bookings/[id]/calendar.ics': { objects: ['bookA', 'bookB', 'bookX'], units: { GET: 'ok ok ok | ok ok ok | ok nf nf | ok nf nf | nf ok nf | nf nf nf' } },
	'/bookings/calendar-feed': {
		units: {
			view: SCHOOLS_ONLY,
			'action:create': { expect: SCHOOLS_ONLY, destructive: "replaces the school's feed address, which /calendar/[token] reads" },
			'action:revoke': { expect: SCHOOLS_ONLY, destructive: "stops the school's feed, which /calendar/[token] reads" }
		}
	},
	'/bookings/calendar-feed/stop': { units: { view: SCHOOLS_ONLY } },
	// A feed's secret is its credential, whoever holds it; a deactivated maker's feed stops.
	'/calendar/[token]': {
		objects: ['feedA', 'feedOfDeactivated', 'bogusToken'],
		units: { GET: { expect: 'ok nf nf | ok nf nf | ok nf nf | ok nf nf | ok nf nf | ok nf nf', anonymous: 'ok nf nf' } }
	},
	'/dashboard': { units: { view: EVERYONE } },
	'/forgot-password': { units: { view: { expect: EVERYONE, anonymous: 'ok' }, 'action:default': { expect: EVERYONE, anonymous: 'ok' } } },
	'/healthz': { units: { GET: { expect: EVERYONE, anonymous: 'ok' } } },
	'/invitation/[token]': {
		objects: ['bogusToken'],
		units: { view: { expect: EVERYONE, anonymous: 'ok' }, 'action:default': { expect: EVERYONE, anonymous: 'ok' } }
	},
	'/outbox': { units: { view: ADMIN_ONLY } },
	'/privacy': { units: { view: { expect: EVERYONE, anonymous: 'ok' } } },
	'/programmes': { units: { view: MANAGERS } },
	'/programmes/[id]': {
		objects: ['jma', 'siaw'],
		units: {
			view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			'action:deactivate': { expect: 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf', destructive: 'hides the programme from schools' },
			'action:reactivate': 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf'
		}
	},
	// What a programme's registers call each mark: its managers, for either programme.
	// Only a carousel (siaw) has a week to copy: jma's page says so, and its action refuses.
	'/programmes/[id]/copy-week': {
		objects: ['jma', 'siaw'],
		units: {
			view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			'action:default': 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf'
		}
	},
	'/programmes/[id]/attendance-labels': {
		objects: ['jma', 'siaw'],
		units: {
			view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			'action:default': 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf'
		}
	},
	// Awards belong to the award programme (jma) only.
	'/programmes/[id]/awards': {
		objects: ['jma', 'siaw'],
		units: {
			view: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf',
			'action:createGroup': 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf',
			'action:labels': 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf'
		}
	},
	'/programmes/[id]/awards/[groupId]': {
		objects: ['jmaGroup', 'groupViaSiaw'],
		units: {
			view: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf',
			'action:addParticipant': 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf',
			'action:logDay': { expect: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf', body: (f) => ({ participantId: f.participantId, day: 'not a date' }) },
			'action:signOff': {
				expect: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf',
				body: (f) => ({ participantId: f.participantId }),
				destructive: 'signs the award off today'
			}
		}
	},
	// A group's day (log it for everyone at once), kept on a device: its manifest, and the days it sends back (an empty batch: refused, 400).
	'/programmes/[id]/awards/[groupId]/day': {
		objects: ['jmaGroup', 'groupViaSiaw'],
		units: { view: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf', 'action:default': 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/awards/[groupId]/day/manifest.json': {
		objects: ['jmaGroup', 'groupViaSiaw'],
		units: { GET: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/awards/[groupId]/day/sync': {
		objects: ['jmaGroup', 'groupViaSiaw'],
		units: { POST: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/awards/[groupId]/certificate.pdf': {
		objects: ['jmaGroup', 'groupViaSiaw'],
		units: { GET: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/awards/[groupId]/participants/[participantId]/certificate.pdf': {
		objects: ['jmaParticipant', 'participantViaSiaw'],
		units: { GET: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/edit': {
		objects: ['jma', 'siaw'],
		units: { view: 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/enrolments': {
		objects: ['jma', 'peer'],
		units: {
			view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			// School A's list (in the leads' reach) and no young person chosen: let through to validation.
			'action:enrol': { expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', body: (f) => ({ schoolId: f.astor }) }
		}
	},
	'/programmes/[id]/enrolments/[enrolmentId]': {
		objects: ['peerEnrolment', 'enrolmentViaJma'],
		units: { view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	// Mentoring belongs to the mentoring programme (peer) only.
	'/programmes/[id]/mentoring': {
		objects: ['peer', 'jma'],
		units: {
			view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf',
			'action:cohort': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf',
			'action:pair': { expect: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', query: (f) => `cohort=${f.cohortId}` },
			'action:meeting': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf'
		}
	},
	// A cohort's day (log meetings), kept on a device: its manifest, and the meetings it sends back; the same cohort under another programme.
	'/programmes/[id]/mentoring/cohorts/[cohortId]/day': {
		objects: ['peerCohort', 'cohortViaJma'],
		units: { view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/mentoring/cohorts/[cohortId]/day/manifest.json': {
		objects: ['peerCohort', 'cohortViaJma'],
		units: { GET: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/mentoring/cohorts/[cohortId]/day/sync': {
		objects: ['peerCohort', 'cohortViaJma'],
		units: { POST: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	// A pair and a meeting of the mentoring programme, and the same ids under another programme.
	'/programmes/[id]/mentoring/pairs/[pairId]': {
		objects: ['peerPair', 'pairViaJma'],
		units: { view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	// No reason given: refused (400) before anything changes.
	'/programmes/[id]/mentoring/pairs/[pairId]/end': {
		objects: ['peerPair', 'pairViaJma'],
		units: { view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/mentoring/meetings/[meetingId]': {
		objects: ['peerMeeting', 'meetingViaJma'],
		units: { view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/mentoring/meetings/[meetingId]/delete': {
		objects: ['peerMeeting', 'meetingViaJma'],
		units: {
			view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf',
			'action:default': { expect: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', destructive: 'deletes the meeting the other cases read' }
		}
	},
	'/programmes/[id]/questions': {
		objects: ['jma', 'siaw'],
		units: {
			view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			'action:add': 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			'action:reword': { expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', body: (f, o) => ({ questionId: f.questionIds[o] ?? '', newWording: '' }) },
			'action:up': { expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', body: (f, o) => ({ questionId: f.questionIds[o] ?? '' }) },
			'action:down': { expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', body: (f, o) => ({ questionId: f.questionIds[o] ?? '' }) },
			'action:retire': {
				expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
				body: (f, o) => ({ questionId: f.questionIds[o] ?? '' }),
				destructive: 'retires the question'
			}
		}
	},
	'/programmes/[id]/questions/enter': {
		objects: ['jma', 'siaw'],
		units: { view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', 'action:enter': 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/[id]/sessions/[sessionId]/edit': {
		objects: ['jmaSessionOfJma', 'siawSessionOfSiaw', 'siawSessionViaJma'],
		units: {
			view: 'ok ok nf | ok ok nf | ok nf nf | nf nf nf | nf nf nf | nf nf nf',
			'action:save': 'ok ok nf | ok ok nf | ok nf nf | nf nf nf | nf nf nf | nf nf nf',
			'action:cancel': { expect: 'ok ok nf | ok ok nf | ok nf nf | nf nf nf | nf nf nf | nf nf nf', destructive: 'cancels the session' },
			'action:complete': { expect: 'ok ok nf | ok ok nf | ok nf nf | nf nf nf | nf nf nf | nf nf nf', destructive: 'completes the session' }
		}
	},
	// The page that asks before a session is cancelled: for its managers, as the edit page.
	'/programmes/[id]/sessions/[sessionId]/cancel': {
		objects: ['jmaSessionOfJma', 'siawSessionOfSiaw', 'siawSessionViaJma'],
		units: { view: 'ok ok nf | ok ok nf | ok nf nf | nf nf nf | nf nf nf | nf nf nf' }
	},
	// Any session its managers may give stations (the form is offered for carousels).
	'/programmes/[id]/sessions/[sessionId]/stations': {
		objects: ['siawSessionOfSiaw', 'jmaSessionOfJma', 'siawSessionViaJma'],
		units: {
			view: 'ok ok nf | ok ok nf | nf ok nf | nf nf nf | nf nf nf | nf nf nf',
			'action:default': 'ok ok nf | ok ok nf | nf ok nf | nf nf nf | nf nf nf | nf nf nf'
		}
	},
	'/programmes/[id]/sessions/new': {
		objects: ['jma', 'siaw'],
		units: { view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', 'action:default': 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf' }
	},
	'/programmes/new': { units: { view: ADMIN_ONLY, 'action:default': ADMIN_ONLY } },
	'/q': {
		units: {
			view: { expect: EVERYONE, anonymous: 'ok' },
			'action:code': { expect: EVERYONE, anonymous: 'ok' },
			'action:answer': { expect: EVERYONE, anonymous: 'ok' }
		}
	},
	'/readyz': { units: { GET: { expect: EVERYONE, anonymous: 'ok' } } },
	// Reports: a school contact's reports are their own school's page.
	'/reports': { units: { view: 'ok | ok | ok | re | re | ok' } },
	'/reports/compare': { units: { view: 'ok | ok | ok | re | re | ok' } },
	'/reports/pcc-return': {
		units: {
			view: 'ok | ok | ok | nf | nf | ok',
			// A narrative too long to save, for each programme: its managers are let through to validation.
			'action:narrative': {
				objects: ['jma', 'siaw'],
				expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
				body: (f, o) => ({ programmeId: f.objects[o]!.params!.id!, narrative: 'x'.repeat(1501) })
			}
		}
	},
	'/reports/pcc-return/download.csv': { units: { GET: 'ok | ok | ok | nf | nf | ok' } },
	'/reports/pcc-return/download.xlsx': { units: { GET: 'ok | ok | ok | nf | nf | ok' } },
	// Fixed-period figures of any programme or school, suppressed as for viewers, for leads too.
	'/reports/programmes/[id]': { objects: ['jma', 'siaw'], units: { view: 'ok ok | ok ok | ok ok | nf nf | nf nf | ok ok' } },
	'/reports/schools': { units: { view: 'ok | ok | ok | re | re | ok' } },
	'/reports/schools/[id]': { objects: ['astor', 'barton'], units: { view: 'ok ok | ok ok | ok ok | ok nf | nf ok | ok ok' } },
	'/reports/schools/download.csv': { units: { GET: 'ok | ok | ok | re | re | ok' } },
	'/reports/trend': { units: { view: 'ok | ok | ok | nf | nf | ok' } },
	'/reset-password/[token]': {
		objects: ['bogusToken'],
		units: { view: { expect: EVERYONE, anonymous: 'ok' }, 'action:default': { expect: EVERYONE, anonymous: 'ok' } }
	},
	'/schools': { units: { view: MANAGERS } },
	'/schools/[id]': {
		objects: ['astor', 'barton'],
		units: {
			view: 'ok ok | ok ok | ok ok | ok nf | nf ok | ok ok',
			'action:deactivate': { expect: 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf', destructive: "signs the school's contacts out of booking" },
			'action:reactivate': 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf'
		}
	},
	// A school's own records: an admin any school's, a contact their own; a file name that is not a kind of record is a 404.
	'/schools/[id]/records/[file]': {
		objects: ['astorRecords', 'bartonRecords', 'astorBogusFile'],
		units: { GET: 'ok ok nf | nf nf nf | nf nf nf | ok nf nf | nf ok nf | nf nf nf' }
	},
	'/schools/[id]/edit': {
		objects: ['astor', 'barton'],
		units: { view: 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok ok | nf nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/schools/import': { units: { view: ADMIN_ONLY, 'action:preview': ADMIN_ONLY, 'action:confirm': ADMIN_ONLY } },
	'/schools/import/template.csv': { units: { GET: ADMIN_ONLY } },
	'/schools/new': { units: { view: ADMIN_ONLY, 'action:default': ADMIN_ONLY } },
	'/sessions': { units: { view: 'ok | ok | ok | ok | ok | nf' } },
	// A school sees the sessions for its phase's year groups and those it booked.
	'/sessions/[id]': {
		objects: ['jmaSession', 'siawSession'],
		units: {
			view: 'ok ok | ok ok | ok nf | ok nf | nf ok | nf nf',
			'action:approve': {
				expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
				body: (f, o) => ({ bookingId: o === 'jmaSession' ? f.bookA : f.bookB })
			},
			'action:decline': {
				expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
				body: (f, o) => ({ bookingId: o === 'jmaSession' ? f.bookA : f.bookB })
			}
		}
	},
	// Probing a session of the other phase, upcoming or completed: the same 404 on POST as on GET.
	'/sessions/[id]/book': {
		objects: ['jmaSession', 'siawSession', 'pastJmaSession'],
		units: {
			view: 'ok ok ok | ok ok ok | ok nf ok | ok nf ok | nf ok nf | nf nf nf',
			'action:default': 'ok ok ok | ok ok ok | ok nf ok | ok nf ok | nf ok nf | nf nf nf'
		}
	},
	// Parents' feedback belongs to workshops (gang) only.
	'/sessions/[id]/feedback': {
		objects: ['gangSession', 'jmaSession'],
		units: { view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/sessions/[id]/questions': {
		objects: ['jmaSession', 'siawSession'],
		units: {
			view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			'action:open': { expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', body: () => ({ minutes: 'not a number' }) },
			'action:close': { expect: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf', destructive: "closes the session's open code" },
			'action:enter': 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf'
		}
	},
	// The session code in large print: those who may open a code, with or without one open.
	'/sessions/[id]/questions/project': { objects: ['jmaSession', 'siawSession'], units: { view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf' } },
	'/sessions/[id]/register': {
		objects: ['jmaSession', 'siawSession'],
		units: {
			view: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			'action:save': 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf',
			// siaw's register is a headcount: no one to mark present.
			'action:allPresent': 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf',
			// and jma's is named: no counts to save, as its counts/sync has none.
			'action:counts': 'nf ok | nf ok | nf nf | nf nf | nf nf | nf nf'
		}
	},
	// A named register kept on a device: its manifest (a headcount has none), and the changes it sends back.
	'/sessions/[id]/register/manifest.json': { objects: ['jmaSession', 'siawSession'], units: { GET: 'ok nf | ok nf | ok nf | nf nf | nf nf | nf nf' } },
	'/sessions/[id]/register/sync': { objects: ['jmaSession', 'siawSession'], units: { POST: 'ok ok | ok ok | ok nf | nf nf | nf nf | nf nf' } },
	// A headcount register kept on a device (a named one has none), and the counts it sends back.
	'/sessions/[id]/register/counts/manifest.json': { objects: ['jmaSession', 'siawSession'], units: { GET: 'nf ok | nf ok | nf nf | nf nf | nf nf | nf nf' } },
	'/sessions/[id]/register/counts/sync': { objects: ['jmaSession', 'siawSession'], units: { POST: 'nf ok | nf ok | nf nf | nf nf | nf nf | nf nf' } },
	'/sessions/[id]/register/stations/[stationId]': {
		objects: ['siawStation', 'stationViaJma'],
		units: { view: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf', 'action:default': 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	// A workstation's register kept on a device, and the counts it sends back.
	'/sessions/[id]/register/stations/[stationId]/manifest.json': {
		objects: ['siawStation', 'stationViaJma'],
		units: { GET: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	'/sessions/[id]/register/stations/[stationId]/sync': {
		objects: ['siawStation', 'stationViaJma'],
		units: { POST: 'ok nf | ok nf | nf nf | nf nf | nf nf | nf nf' }
	},
	// A day's registers to keep on a device: those who take registers (each sees their own programmes').
	'/sessions/today': { units: { view: MANAGERS } },
	// A session's timetable: whoever sees the session (a school sees its own groups only).
	'/sessions/[id]/timetable': { objects: ['siawSession', 'jmaSession'], units: { view: 'ok ok | ok ok | nf ok | nf ok | ok nf | nf nf' } },
	// The second step of signing in: a signed-in user is sent on (an action's redirect counts as ok), anyone else to sign in.
	'/sign-in/code': { units: { view: 're | re | re | re | re | re', 'action:verify': EVERYONE, 'action:cancel': EVERYONE } },
	// Signed in, anyone may set one up (a school contact turning it on); cancelling signs out, which anyone may.
	'/sign-in/set-up': { units: { view: EVERYONE, 'action:setUp': EVERYONE, 'action:cancel': { expect: EVERYONE, anonymous: 'ok' } } },
	'/sign-in': { units: { view: { expect: 're | re | re | re | re | re', anonymous: 'ok' }, 'action:default': { expect: EVERYONE, anonymous: 'ok' } } },
	// Signing out ends at the sign-in page (its banner comes from the flash cookie, not the address).
	'/sign-out': { units: { view: EVERYONE, 'action:default': 'S | S | S | S | S | S' } },
	'/terms': { units: { view: ADMIN_ONLY } },
	'/terms/[id]': { objects: ['term'], units: { view: ADMIN_ONLY, 'action:default': ADMIN_ONLY } },
	'/terms/new': { units: { view: ADMIN_ONLY, 'action:default': ADMIN_ONLY } },
	'/users': { units: { view: ADMIN_ONLY } },
	'/users/[id]': {
		objects: ['viewerUser'],
		units: {
			view: ADMIN_ONLY,
			'action:save': ADMIN_ONLY,
			'action:deactivate': { expect: ADMIN_ONLY, destructive: 'deactivates the viewer' },
			'action:reactivate': ADMIN_ONLY,
			'action:resend': ADMIN_ONLY,
			'action:resetSecondFactor': { expect: ADMIN_ONLY, destructive: "ends the viewer's sessions, which the viewer's cases use" }
		}
	},
	'/users/[id]/deactivate': { objects: ['viewerUser'], units: { view: ADMIN_ONLY } },
	'/users/invite': { units: { view: ADMIN_ONLY, 'action:default': ADMIN_ONLY } },
	// The list of one school's young people (?school=, which a contact's own school overrides).
	'/young-people': {
		objects: ['noSchool', 'listA', 'listB', 'listX'],
		units: { view: 'ok ok ok ok | ok ok ok nf | ok ok nf nf | ok ok ok ok | ok ok ok ok | nf nf nf nf' }
	},
	'/young-people/[id]': {
		objects: ['personA', 'personB', 'personX'],
		units: {
			view: 'ok ok ok | ok ok nf | ok nf nf | ok nf nf | nf ok nf | nf nf nf',
			'action:archive': { expect: 'ok ok ok | ok ok nf | ok nf nf | ok nf nf | nf ok nf | nf nf nf', destructive: 'archives the young person' },
			'action:restore': 'ok ok ok | ok ok nf | ok nf nf | ok nf nf | nf ok nf | nf nf nf'
		}
	},
	// The page that asks before a young person is archived: for whoever may archive them.
	'/young-people/[id]/archive': {
		objects: ['personA', 'personB', 'personX'],
		units: { view: 'ok ok ok | ok ok nf | ok nf nf | ok nf nf | nf ok nf | nf nf nf' }
	},
	// A school contact's copy of their own pupil's certificate.
	'/young-people/[id]/awards/[participantId]/certificate.pdf': {
		objects: ['pupilCertificate'],
		units: { GET: 'nf | nf | nf | ok | nf | nf' }
	},
	// Erasure on request: admins only; an empty reason is let through to validation, so nothing is erased.
	'/young-people/[id]/erase': {
		objects: ['personA', 'personB', 'personX'],
		units: {
			view: 'ok ok ok | nf nf nf | nf nf nf | nf nf nf | nf nf nf | nf nf nf',
			'action:default': 'ok ok ok | nf nf nf | nf nf nf | nf nf nf | nf nf nf | nf nf nf'
		}
	},
	// Everything held about a young person: admins, and their own school's contacts.
	'/young-people/[id]/subject-access.zip': {
		objects: ['personA', 'personB', 'personX'],
		units: { GET: 'ok ok ok | nf nf nf | nf nf nf | ok nf nf | nf ok nf | nf nf nf' }
	},
	'/young-people/[id]/edit': {
		objects: ['personA', 'personB', 'personX'],
		units: {
			view: 'ok ok ok | ok ok nf | ok nf nf | ok nf nf | nf ok nf | nf nf nf',
			'action:default': 'ok ok ok | ok ok nf | ok nf nf | ok nf nf | nf ok nf | nf nf nf'
		}
	},
	'/young-people/import': { units: { view: SCHOOLS_ONLY, 'action:preview': SCHOOLS_ONLY, 'action:confirm': SCHOOLS_ONLY } },
	'/young-people/import/template.csv': { units: { GET: SCHOOLS_ONLY } },
	'/young-people/new': {
		objects: ['noSchool', 'listA', 'listB', 'listX'],
		units: {
			view: 'nf ok ok ok | nf ok ok nf | nf ok nf nf | ok ok ok ok | ok ok ok ok | nf nf nf nf',
			'action:default': 'nf ok ok ok | nf ok ok nf | nf ok nf nf | ok ok ok ok | ok ok ok ok | nf nf nf nf'
		}
	}
};

// ---------------------------------------------------------------------------------------------
// The objects: found by reading pages as the admin, or made in beforeAll.

interface Fixtures {
	astor: string;
	cohortId: string;
	objects: Record<string, { params?: Record<string, string>; query?: string }>;
	bookA: string;
	bookB: string;
	participantId: string;
	questionIds: Record<string, string>;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PASSWORD = 'a long and memorable passphrase';

function idsIn(html: string, pattern: string): string[] {
	return [...html.matchAll(new RegExp(pattern, 'g'))].map((m) => m[1]!);
}

function firstId(html: string, pattern: string, what: string): string {
	const id = idsIn(html, pattern)[0];
	if (!id) throw new Error(`No ${what} found`);
	return id;
}

/** The id in the link whose text is `name`. */
function linkTo(html: string, prefix: string, name: string): string {
	const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return firstId(html, `href="${prefix}(${UUID})"[^>]*>\\s*${escaped}\\s*<`, `link to ${name}`);
}

async function html(ctx: APIRequestContext, path: string): Promise<string> {
	const res = await ctx.get(path, { maxRedirects: 0 });
	if (res.status() !== 200) throw new Error(`GET ${path}: ${res.status()}`);
	return res.text();
}

/** Posts a form as a browser would (not JSON), returning where it redirected to. */
async function postForm(ctx: APIRequestContext, baseURL: string, path: string, form: Record<string, string>): Promise<APIResponse> {
	return ctx.post(path, { form, headers: { origin: baseURL, accept: 'text/html' }, maxRedirects: 0 });
}

/** The one way this test signs a role in: helpers' signIn in a browser, then its cookies in an API context. */
async function session(browser: Browser, baseURL: string, email: string, password?: string): Promise<APIRequestContext> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, email, password);
	const storageState = await context.storageState();
	await context.close();
	return playwrightRequest.newContext({ baseURL, storageState });
}

/** An admin invites someone, who accepts through the outbox link and sets a password. */
async function newUser(admin: APIRequestContext, browser: Browser, baseURL: string, user: { email: string; name: string; role: string; schoolId?: string }) {
	const invited = await postForm(admin, baseURL, '/users/invite', { email: user.email, name: user.name, role: user.role, schoolId: user.schoolId ?? '' });
	const userId = new RegExp(`/users/(${UUID})`).exec(invited.headers()['location'] ?? '')?.[1];
	if (!userId)
		throw new Error(`Inviting ${user.email}: ${invited.status()} ${(await invited.text()).replace(/\s+/g, ' ').match(/govuk-error-summary.{0,600}/)?.[0]}`);
	const link = await invitationLink(admin, user.email);
	const anon = await playwrightRequest.newContext({ baseURL });
	const accepted = await postForm(anon, baseURL, link, { password: PASSWORD, confirmPassword: PASSWORD });
	expect(accepted.status(), `accepting ${user.email}'s invitation`).toBe(303);
	await anon.dispose();
	return { userId, ctx: await session(browser, baseURL, user.email, PASSWORD) };
}

/** The invitation link in the newest email to `to`, read from the outbox as the admin (as helpers' linkFromOutbox does in a browser). */
async function invitationLink(admin: APIRequestContext, to: string): Promise<string> {
	const outbox = await html(admin, '/outbox');
	const card = outbox.split('govuk-summary-card"').find((c) => c.includes(to)) ?? '';
	const link = /https?:\/\/[^\s<"]+(\/invitation\/[a-z0-9]+)/.exec(card)?.[1];
	if (!link) throw new Error(`No invitation link in the outbox for ${to}`);
	return link;
}

async function book(ctx: APIRequestContext, baseURL: string, sessionId: string, fields: Record<string, string>): Promise<string> {
	const res = await postForm(ctx, baseURL, `/sessions/${sessionId}/book`, {
		places: '1',
		contactName: 'School office',
		contactPhone: '01304 000000',
		classNames: '',
		accessNeeds: '',
		idempotencyKey: crypto.randomUUID(),
		...fields
	});
	const id = new RegExp(`/bookings/(${UUID})`).exec(res.headers()['location'] ?? '')?.[1];
	if (!id)
		throw new Error(
			`Booking ${sessionId}: ${res.status()} ${
				(await res.text())
					.replace(/<[^>]+>/g, ' ')
					.replace(/\s+/g, ' ')
					.match(/There is a problem.{0,300}/)?.[0]
			}`
		);
	return id;
}

// ---------------------------------------------------------------------------------------------
// Answers, classified.

type Actual = Outcome | string;

function fromLocation(location: string, unit: Unit): Actual {
	const url = new URL(location, 'http://x');
	if (url.pathname === '/sign-in' && !url.searchParams.has('notice')) return 'S';
	return unit.kind === 'action' ? 'ok' : 're';
}

async function classify(res: APIResponse, unit: Unit): Promise<Actual> {
	const status = res.status();
	if (status >= 300 && status < 400) return fromLocation(res.headers()['location'] ?? '', unit);
	if (status === 404) return 'nf';
	if ((res.headers()['content-type'] ?? '').startsWith('application/json') && (unit.kind === 'data' || unit.kind === 'action')) {
		const body = (await res.json().catch(() => ({}))) as { type?: string; location?: string; status?: number };
		if (body.type === 'redirect') return fromLocation(body.location ?? '', unit);
		if (body.type === 'error') return body.status === 404 || status === 404 ? 'nf' : `${status}`;
	}
	if (status >= 200 && status < 300) return 'ok';
	// A refused form, or a refused change sent as JSON (an empty batch): reached, and answered.
	if ((unit.kind === 'action' || (unit.kind === 'method' && unit.method !== 'GET')) && (status === 400 || status === 409)) return 'ok';
	return `${status}`;
}

/** Once more when a kept-alive connection was closed under the request (ECONNRESET): not an answer from the app. */
async function retried(send: () => Promise<APIResponse>): Promise<APIResponse> {
	try {
		return await send();
	} catch (error) {
		if (!String(error).includes('ECONNRESET')) throw error;
		return send();
	}
}

interface Case {
	route: RouteEntry;
	unit: Unit;
	role: Role;
	object: string;
	expected: Outcome;
	row: Row;
	ids: string[];
	send: boolean;
}

function parseRow(row: Row, objects: string[], route: string): Record<Role, Outcome[]> {
	const parse = (text: string) => text.trim().split(/\s+/) as Outcome[];
	const parts = row.expect.split('|').map(parse);
	if (parts.length !== ROLES.length) throw new Error(`${route}: ${ROLES.length} roles expected in "${row.expect}"`);
	const columns = Math.max(1, objects.length);
	for (const p of [...parts, ...(row.anonymous ? [parse(row.anonymous)] : [])]) {
		if (p.length !== columns || p.some((o) => !['ok', 're', 'S', 'nf'].includes(o)))
			throw new Error(`${route}: "${row.expect}" needs ${columns} outcomes a role`);
	}
	const anonymous = row.anonymous ? parse(row.anonymous) : Array.from({ length: columns }, () => 'S' as const);
	return { ...(Object.fromEntries(ROLES.map((r, i) => [r, parts[i]!])) as Record<SignedInRole, Outcome[]>), anonymous, deactivated: anonymous };
}

const asRow = (entry: string | Row): Row => (typeof entry === 'string' ? { expect: entry } : entry);

function rowFor(route: Route, unit: Unit): Row | undefined {
	const key = unitKey(unit);
	const entry = route.units[key] ?? (unit.kind === 'page' || unit.kind === 'data' ? route.units['view'] : undefined);
	return entry === undefined ? undefined : asRow(entry);
}

test.describe.configure({ mode: 'serial' });

test('every route answers every kind of user as the access table says', async ({ browser, baseURL }) => {
	// Several thousand requests: minutes, more on a busy machine.
	test.setTimeout(480_000);
	const base = baseURL!;
	const started = Date.now();
	const manifest = readManifest();

	// The table and the manifest match: no route without an entry, no entry without a route.
	const missing: string[] = [];
	for (const r of manifest) {
		const route = table[r.id];
		for (const unit of r.units) if (!route || !rowFor(route, unit)) missing.push(`${r.id} ${unitKey(unit)}`);
	}
	const stale: string[] = [];
	for (const [id, route] of Object.entries(table)) {
		const r = manifest.find((m) => m.id === id);
		const keys = new Set(r?.units.map(unitKey) ?? []);
		for (const key of Object.keys(route.units)) {
			if (!(key === 'view' ? keys.has('page') : keys.has(key))) stale.push(`${id} ${key}`);
		}
	}
	expect(missing, 'routes in src/routes without an entry in the access table').toEqual([]);
	expect(stale, 'entries in the access table for routes that no longer exist').toEqual([]);

	// The users.
	const admin = await session(browser, base, 'admin@demo.test');
	const contexts: Partial<Record<Role, APIRequestContext>> = { admin };
	contexts.anonymous = await playwrightRequest.newContext({ baseURL: base });
	contexts.leadAll = await session(browser, base, 'lead@demo.test');
	contexts.schoolA = await session(browser, base, 'school@demo.test');
	contexts.schoolB = await session(browser, base, 'primary@demo.test');
	contexts.viewer = await session(browser, base, 'viewer@demo.test');
	const stamp = Date.now();
	const schoolsPage = await html(admin, '/schools');
	const astor = linkTo(schoolsPage, '/schools/', 'Astor College');
	const barton = linkTo(schoolsPage, '/schools/', 'Barton Junior School');
	const leadOneEmail = `one.lead.${stamp}@example.org`;
	const leadOne = await newUser(admin, browser, base, { email: leadOneEmail, name: 'Lou Onelead', role: 'lead' });
	contexts.leadOne = leadOne.ctx;
	const gone = await newUser(admin, browser, base, { email: `gone.contact.${stamp}@example.org`, name: 'Dee Parted', role: 'school', schoolId: barton });

	// The programmes and their upcoming sessions.
	const programmesPage = await html(admin, '/programmes');
	const jma = linkTo(programmesPage, '/programmes/', 'John Muir Award');
	const siaw = linkTo(programmesPage, '/programmes/', 'Safety in Action Week');
	const peer = linkTo(programmesPage, '/programmes/', 'Peer Mentoring Programme');
	const gang = linkTo(programmesPage, '/programmes/', 'Gang Awareness Workshops');
	const upcoming = async (programme: string) =>
		firstId(await html(admin, `/sessions?programme=${programme}`), `href="/sessions/(${UUID})"`, 'upcoming session');
	const [jmaSession, siawSession, gangSession] = [await upcoming(jma), await upcoming(siaw), await upcoming(gang)];
	const pastJmaSession = firstId(
		(await html(admin, `/programmes/${jma}`)).replace(new RegExp(jmaSession, 'g'), ''),
		`href="/sessions/(${UUID})"`,
		'completed session'
	);

	// Only the John Muir Award for the lead of one programme: the admin ticks them on its form.
	{
		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, 'admin@demo.test');
		await page.goto(`/programmes/${jma}/edit`);
		await page.getByLabel(new RegExp(`Lou Onelead \\(${leadOneEmail.replace(/\./g, '\\.')}\\)`)).check();
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page).toHaveURL(new RegExp(`/programmes/${jma}$`));
		await context.close();
	}

	// Bookings the schools make themselves, which bring them into a lead's reach.
	const bookA = await book(contexts.schoolA!, base, jmaSession, { yearGroup: 'Y8' });
	const bookB = await book(contexts.schoolB!, base, siawSession, { yearGroup: 'Y6' });
	// School X: a primary school that never booked, which the lead of everything books siaw on behalf of.
	const reach = async (ctx: APIRequestContext) => new Set(idsIn(await html(ctx, '/young-people'), `<option value="(${UUID})"`));
	const leadAllReach = await reach(contexts.leadAll!);
	const onBehalfChoices = idsIn(await html(contexts.leadAll!, `/sessions/${siawSession}/book`), `<option value="(${UUID})"`);
	const schoolX = onBehalfChoices.find((id) => !leadAllReach.has(id) && id !== barton);
	if (!schoolX) throw new Error('Every school Safety in Action Week can be booked for is in the lead of everything’s reach already');
	const bookX = await book(contexts.leadAll!, base, siawSession, { yearGroup: 'Y6', schoolId: schoolX });

	// Young people of A, B and X (the admin adds one where a list is empty).
	const personOf = async (school: string) => {
		const found = idsIn(await html(admin, `/young-people?school=${school}`), `href="/young-people/(${UUID})"`)[0];
		if (found) return found;
		const fields = {
			first_name: 'Matrix',
			last_name: `Pupil${stamp}`,
			year_group: school === barton ? 'Y5' : 'Y8',
			gender: '',
			sen: '',
			free_school_meals: ''
		};
		const res = await postForm(admin, base, `/young-people/new?school=${school}`, fields);
		expect(res.status(), 'adding a young person').toBe(303);
		return firstId(await html(admin, `/young-people?school=${school}`), `href="/young-people/(${UUID})"`, 'young person');
	};
	const [personA, personB, personX] = [await personOf(astor), await personOf(barton), await personOf(schoolX)];

	// Awards, enrolments, questions, stations, users.
	const jmaGroup = firstId(await html(admin, `/programmes/${jma}/awards`), `href="/programmes/${jma}/awards/(${UUID})"`, 'award group');
	const groupPage = await html(admin, `/programmes/${jma}/awards/${jmaGroup}`);
	const participantId = firstId(groupPage, `name="participantId" value="(${UUID})"`, 'award participant');
	const certified = firstId(groupPage, `/participants/(${UUID})/certificate\\.pdf`, 'signed-off participant');
	const cohortId = firstId(await html(admin, `/programmes/${peer}/mentoring`), `cohort=(${UUID})`, 'mentoring cohort');
	// A pair of the latest cohort with a meeting logged.
	let peerPair = '';
	let peerMeeting = '';
	for (const pairId of idsIn(await html(admin, `/programmes/${peer}/mentoring`), `href="/programmes/${peer}/mentoring/pairs/(${UUID})"`).slice(0, 10)) {
		const meeting = idsIn(await html(admin, `/programmes/${peer}/mentoring/pairs/${pairId}`), `id="meeting-(${UUID})"`)[0];
		if (meeting) [peerPair, peerMeeting] = [pairId, meeting];
		if (meeting) break;
	}
	if (!peerMeeting) throw new Error('No mentoring pair with a meeting found');
	const peerEnrolment = firstId(await html(admin, `/programmes/${peer}/enrolments`), `href="/programmes/${peer}/enrolments/(${UUID})"`, 'enrolment');
	const questionOf = async (programme: string) => {
		const pattern = `href="\\?edit=(${UUID})"`;
		const found = idsIn(await html(admin, `/programmes/${programme}/questions`), pattern)[0];
		if (found) return found;
		await postForm(admin, base, `/programmes/${programme}/questions?/add`, { wording: 'I know who to talk to if I feel unsafe' });
		return firstId(await html(admin, `/programmes/${programme}/questions`), pattern, 'question');
	};
	const questionIds = { jma: await questionOf(jma), siaw: await questionOf(siaw) };
	const siawStation = firstId(await html(admin, `/sessions/${siawSession}/register`), `/register/stations/(${UUID})"`, 'station');
	const usersPage = await html(admin, '/users');
	const userIdOf = (email: string) => firstId(usersPage.split('<tr').find((row) => row.includes(email)) ?? '', `href="/users/(${UUID})"`, `user ${email}`);
	const viewerUser = userIdOf('viewer@demo.test');
	const term = firstId(await html(admin, '/terms'), `href="/terms/(${UUID})"`, 'school term');
	// A pupil of school A with a certificate: its contact reads their copy.
	let pupil: { person: string; participant: string } = { person: crypto.randomUUID(), participant: crypto.randomUUID() };
	const enrolled = await html(admin, `/programmes/${jma}/enrolments`);
	for (const group of idsIn(await html(admin, `/programmes/${jma}/awards`), `href="/programmes/${jma}/awards/(${UUID})"`)) {
		const cards = (await html(admin, `/programmes/${jma}/awards/${group}`)).split('govuk-summary-card"');
		const card = cards.find((c) => c.includes('Astor College') && c.includes('/certificate.pdf'));
		const participant = card && new RegExp(`/participants/(${UUID})/certificate\\.pdf`).exec(card)?.[1];
		const name = card && /-title">([^<]+)</.exec(card)?.[1]?.trim();
		if (!participant || !name) continue;
		const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		for (const person of idsIn(enrolled, `href="/young-people/(${UUID})">${escaped}<`)) {
			if ((await contexts.schoolA!.get(`/young-people/${person}/awards/${participant}/certificate.pdf`)).status() === 200) pupil = { person, participant };
		}
		if (pupil.participant === participant) break;
	}

	// Feeds: school A's, and one made by the contact who is then deactivated.
	const feedToken = async (ctx: APIRequestContext) => {
		const res = await ctx.post('/bookings/calendar-feed?/create', { form: {}, headers: { origin: base, accept: 'application/json' } });
		const token = /\/calendar\/([A-Za-z0-9_-]+)/.exec(await res.text())?.[1];
		if (!token) throw new Error('No calendar feed address');
		return token;
	};
	const feedA = await feedToken(contexts.schoolA!);
	const feedOfDeactivated = await feedToken(gone.ctx);
	const deactivated = await admin.post(`/users/${gone.userId}?/deactivate`, { form: {}, headers: { origin: base, accept: 'application/json' } });
	expect(((await deactivated.json()) as { type: string }).type, 'deactivating a user').toBe('redirect');
	contexts.deactivated = gone.ctx;

	const f: Fixtures = {
		astor,
		cohortId,
		bookA,
		bookB,
		participantId,
		questionIds,
		objects: {
			bookA: { params: { id: bookA } },
			bookB: { params: { id: bookB } },
			bookX: { params: { id: bookX } },
			feedA: { params: { token: feedA } },
			feedOfDeactivated: { params: { token: feedOfDeactivated } },
			bogusToken: { params: { token: 'no-such-link-0000000000000000000000000000' } },
			jma: { params: { id: jma } },
			siaw: { params: { id: siaw } },
			peer: { params: { id: peer } },
			jmaGroup: { params: { id: jma, groupId: jmaGroup } },
			groupViaSiaw: { params: { id: siaw, groupId: jmaGroup } },
			jmaParticipant: { params: { id: jma, groupId: jmaGroup, participantId: certified } },
			participantViaSiaw: { params: { id: siaw, groupId: jmaGroup, participantId: certified } },
			peerEnrolment: { params: { id: peer, enrolmentId: peerEnrolment } },
			peerCohort: { params: { id: peer, cohortId } },
			cohortViaJma: { params: { id: jma, cohortId } },
			peerPair: { params: { id: peer, pairId: peerPair } },
			pairViaJma: { params: { id: jma, pairId: peerPair } },
			peerMeeting: { params: { id: peer, meetingId: peerMeeting } },
			meetingViaJma: { params: { id: jma, meetingId: peerMeeting } },
			enrolmentViaJma: { params: { id: jma, enrolmentId: peerEnrolment } },
			jmaSessionOfJma: { params: { id: jma, sessionId: jmaSession } },
			siawSessionOfSiaw: { params: { id: siaw, sessionId: siawSession } },
			siawSessionViaJma: { params: { id: jma, sessionId: siawSession } },
			jmaSession: { params: { id: jmaSession } },
			siawSession: { params: { id: siawSession } },
			pastJmaSession: { params: { id: pastJmaSession } },
			gangSession: { params: { id: gangSession } },
			siawStation: { params: { id: siawSession, stationId: siawStation } },
			stationViaJma: { params: { id: jmaSession, stationId: siawStation } },
			astor: { params: { id: astor } },
			barton: { params: { id: barton } },
			astorRecords: { params: { id: astor, file: 'young-people.csv' } },
			bartonRecords: { params: { id: barton, file: 'attendance.xlsx' } },
			astorBogusFile: { params: { id: astor, file: 'passwords.csv' } },
			viewerUser: { params: { id: viewerUser } },
			term: { params: { id: term } },
			noSchool: {},
			listA: { query: `school=${astor}` },
			listB: { query: `school=${barton}` },
			listX: { query: `school=${schoolX}` },
			personA: { params: { id: personA } },
			personB: { params: { id: personB } },
			personX: { params: { id: personX } },
			pupilCertificate: { params: { id: pupil.person, participantId: pupil.participant } }
		}
	};

	// What an allowed answer shows: a school's timetable of a carousel session holds its own
	// groups only, whether it booked the session (siaw's upcoming one) or not (past ones).
	const otherSchools = [...schoolsPage.matchAll(new RegExp(`href="/schools/${UUID}"[^>]*>([^<]+)<`, 'g'))]
		.map((m) => m[1]!.trim())
		.filter((n) => n !== 'Barton Junior School');
	const siawSessions = idsIn(await html(admin, `/programmes/${siaw}`), `href="/sessions/(${UUID})"`);
	for (const id of [siawSession, ...siawSessions.filter((id) => id !== siawSession).slice(-3)]) {
		const timetable = await contexts.schoolB!.get(`/sessions/${id}/timetable`);
		const text = timetable.status() === 200 ? await timetable.text() : '';
		const shown = otherSchools.filter((name) => text.includes(name));
		expect.soft(shown, `other schools' groups on school B's timetable of ${id}`).toEqual([]);
	}

	// The cases: every unit × role × object, plus an id that never existed for every id param.
	const cases: Case[] = [];
	const allRoles: Role[] = ['anonymous', ...ROLES, 'deactivated'];
	for (const r of manifest) {
		const route = table[r.id]!;
		for (const unit of r.units) {
			const row = rowFor(route, unit)!;
			const objects = row.objects ?? route.objects ?? [];
			const expected = parseRow(row, objects, `${r.id} ${unitKey(unit)}`);
			for (const role of allRoles) {
				const outcomes = expected[role];
				// Sent to sign in before any object is read: one object is enough for those.
				const unread = (role === 'anonymous' || role === 'deactivated') && !row.anonymous;
				const columns = objects.length ? (unread ? objects.slice(0, 1) : objects) : [''];
				columns.forEach((object, i) => {
					const send = !(row.destructive && outcomes[i] !== 'nf' && outcomes[i] !== 'S');
					cases.push({ route: r, unit, role, object, expected: outcomes[i]!, row, ids: [], send });
				});
				const idParams = r.params.filter((p) => p !== 'token');
				// (The page runs the load its __data.json does: the data request stands for both.)
				if (idParams.length > 0 && objects.length > 0 && !unread && unit.kind !== 'page') {
					// Never existed: a 404 for everyone signed in (sign-in for the others, as for the route's other objects).
					cases.push({ route: r, unit, role, object: 'never-existed', expected: outcomes.every((o) => o === 'S') ? 'S' : 'nf', row, ids: [], send: true });
				}
			}
		}
	}
	// Sign-out last: it ends the session every other case uses.
	const last = (c: Case) => (c.route.id === '/sign-out' && c.unit.kind === 'action' ? 2 : c.row.destructive ? 1 : 0);
	cases.sort((a, b) => last(a) - last(b));

	const pathFor = (c: Case): { path: string; ids: string[] } => {
		const fixture =
			c.object === 'never-existed' ? { params: Object.fromEntries(c.route.params.map((p) => [p, crypto.randomUUID()])) } : (f.objects[c.object] ?? {});
		if (c.object && c.object !== 'never-existed' && !f.objects[c.object]) throw new Error(`No object ${c.object}`);
		const params = fixture.params ?? {};
		const path = c.route.id.replace(/\[(\w+)\]/g, (_, name: string) => {
			const value = params[name];
			if (!value) throw new Error(`${c.route.id}: no ${name} for ${c.object}`);
			return value;
		});
		return { path, ids: Object.values(params).filter((v) => new RegExp(`^${UUID}$`).test(v)) };
	};

	const failures: string[] = [];
	let auditProblems: string[] = [];
	const errors: string[] = [];
	let run = 0;
	let skipped = 0;
	const timeByRoute = new Map<string, number>();
	const runCase = async (c: Case) => {
		if (!c.send) {
			skipped++;
			return;
		}
		const ctx = contexts[c.role]!;
		const { path, ids } = pathFor(c);
		c.ids = ids;
		const query = (c.row.query ? c.row.query(f, c.object) : '') || (c.object && f.objects[c.object]?.query) || '';
		let res: APIResponse;
		const t0 = Date.now();
		if (c.unit.kind === 'action') {
			const name = c.unit.name === 'default' ? '' : `/${c.unit.name}`;
			const search = [query, name].filter(Boolean).join('&');
			const form = c.row.body ? c.row.body(f, c.object) : {};
			res = await retried(() =>
				ctx.post(`${path}${search ? `?${search}` : ''}`, {
					form,
					headers: { origin: base, accept: 'application/json' },
					maxRedirects: 0,
					failOnStatusCode: false
				})
			);
		} else {
			const url = c.unit.kind === 'data' ? `${path === '/' ? '' : path}/__data.json` : path;
			res = await retried(() =>
				ctx.fetch(`${url}${query ? `?${query}` : ''}`, {
					method: c.unit.kind === 'method' ? c.unit.method : 'GET',
					// A JSON endpoint that changes something checks the Origin as forms do (web/csrf.ts).
					headers: c.unit.kind === 'method' && c.unit.method !== 'GET' ? { origin: base } : {},
					maxRedirects: 0,
					failOnStatusCode: false
				})
			);
		}
		run++;
		timeByRoute.set(c.route.id, (timeByRoute.get(c.route.id) ?? 0) + (Date.now() - t0));
		const actual = await classify(res, c.unit);
		if (/^5\d\d$/.test(actual)) errors.push(`${c.route.id} ${unitKey(c.unit)} ${c.role} ${c.object}: ${actual}`);
		if (actual !== c.expected) failures.push(`${c.route.id} ${unitKey(c.unit)} ${c.role} ${c.object || '-'}: expected ${c.expected}, got ${actual}`);
		(c as Case & { actual?: Actual }).actual = actual;
	};
	// A few at a time: the server is one process on one database connection.
	for (const stage of [0, 1, 2]) {
		const queue = cases.filter((c) => last(c) === stage);
		await Promise.all(
			Array.from({ length: 4 }, async () => {
				for (let c = queue.shift(); c; c = queue.shift()) await runCase(c);
			})
		);
		if (stage === 0)
			auditProblems = await checkAudited(admin, cases, {
				leadOne: leadOne.userId,
				schoolA: userIdOf('school@demo.test'),
				schoolB: userIdOf('primary@demo.test'),
				viewer: viewerUser
			});
	}

	console.log(
		`access matrix: ${run} (route, role, object) cases run over ${manifest.length} routes and ${manifest.reduce((n, r) => n + r.units.length, 0)} units, ${skipped} destructive cases not sent, in ${((Date.now() - started) / 1000).toFixed(0)} s`
	);
	if (process.env.MATRIX_TIMES)
		console.log(
			[...timeByRoute]
				.sort((a, b) => b[1] - a[1])
				.slice(0, 15)
				.map(([id, ms]) => `${id} ${ms} ms`)
				.join('\n')
		);
	if (errors.length) console.log(`server errors:\n${errors.join('\n')}`);
	expect.soft(failures, `${failures.length} answers differ from the access table`).toEqual([]);
	expect.soft(auditProblems, 'refusals without an access.refused audit row').toEqual([]);
});

/**
 * A sample of the 404s for objects that exist is audited: for each role, the refusals of
 * existing objects each have an access.refused row by that user naming one of the ids asked for.
 */
async function checkAudited(admin: APIRequestContext, cases: Case[], userIds: Partial<Record<Role, string>>): Promise<string[]> {
	const missingRows: string[] = [];
	let checked = 0;
	for (const [role, userId] of Object.entries(userIds)) {
		const refused = cases.filter(
			(c) => c.role === role && (c as Case & { actual?: Actual }).actual === 'nf' && c.ids.length > 0 && c.object !== 'never-existed'
		);
		const seen = new Set<string>();
		for (let page = 1; page <= 60; page++) {
			const text = await html(admin, `/audit?action=access.refused&actor=${userId}&page=${page}`);
			for (const id of idsIn(text, `(${UUID})`)) seen.add(id);
			if (!text.includes('rel="next"')) break;
		}
		// A sample: every fifth refusal.
		for (const c of refused.filter((_, i) => i % 5 === 0)) {
			checked++;
			if (!c.ids.some((id) => seen.has(id))) missingRows.push(`${c.route.id} ${unitKey(c.unit)} ${role} ${c.object}`);
		}
	}
	console.log(`access matrix: ${checked} refusals checked for an access.refused audit row`);
	return missingRows;
}

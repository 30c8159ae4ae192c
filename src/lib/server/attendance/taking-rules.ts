import { refused, type Failure } from '../result';
import type { findSessionSummary } from '../sessions/sessions.queries';

// The rules every way of taking attendance shares (named marks, counts, workshop feedback), apart
// from the services that apply them so that each can use them without importing the others.

/** The most people a count may say came: more is a typing slip, not a crowd. */
export const MAX_HEADCOUNT = 10_000;

type Session = NonNullable<Awaited<ReturnType<typeof findSessionSummary>>>;

/** Why attendance cannot be taken at this session now (`cancelled`, `not_started`), if it cannot. */
export function timingRefusal(session: Pick<Session, 'status' | 'starts_at'>, now: Date): Failure | undefined {
	if (session.status === 'cancelled') return refused('cancelled', 'This session was cancelled: attendance cannot be recorded');
	if (now < session.starts_at) return refused('not_started', 'Attendance can be recorded once the session has started');
	return undefined;
}

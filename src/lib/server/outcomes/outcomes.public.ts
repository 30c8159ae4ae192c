import { withTransaction, type Db } from '../db';
import { insertAuditEvent } from '../audit/audit.queries';
import { reportFiguresChanged } from '../reports/rollups';
import { invalid, invalidField, ok, refused, type Result } from '../result';
import { londonParts } from '../time';
import * as queries from './outcomes.queries';
import { isSessionCodeShape, normaliseSessionCode, type QuestionnaireValues } from './outcomes.schema';
import { checkQuestionnaire, saveQuestionnaire, type DatedPlace } from './outcomes.service';

// The public form at /q: no sign-in, so the session code is the only key. It shows nothing of
// the session beyond its programme's name and date (and the schools to choose from), and
// wrong codes are throttled by network address as sign-in failures are. The limit is higher
// than sign-in's because a whole class, or a conference hall, shares one address: 40 wrong
// codes in 15 minutes still leaves a guesser about one chance in 20 million of finding an
// open code among the 887 million possible.
//
// A code that opens nothing is `refused`, its `reason` one of CodeRefusal and its message for
// the code field; wrong answers are `invalid`, by field.

export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const ADDRESS_FAILURE_LIMIT = 40;

/** A before and an after for every place, and a few spare: more than that from one code is not a class answering. */
export const answersPerCode = (capacity: number) => 2 * capacity + 10;

export type CodeRefusal = 'missing' | 'throttled' | 'unknown' | 'expired' | 'closed' | 'full';

export interface PublicForm {
	programmeName: string;
	/** The session's date in London, YYYY-MM-DD. */
	date: string;
	schools: { id: string; name: string }[];
	questions: { id: string; wording: string }[];
}

const ASK = 'Ask the person running the session for the code.';

function waitMessage(ms: number): string {
	const minutes = Math.max(1, Math.ceil(ms / 60_000));
	return `Too many wrong session codes have been typed on this network. Wait ${minutes === 1 ? '1 minute' : `${minutes} minutes`}, then try again.`;
}

/** Milliseconds until this address may try a code again, given the failures that lock it out. */
async function waitAfter(db: Db, address: string, now: Date, limit: number): Promise<number> {
	const nth = await queries.nthRecentFailure(db, address, new Date(now.getTime() - FAILURE_WINDOW_MS), limit);
	return nth ? Math.max(0, nth.getTime() + FAILURE_WINDOW_MS - now.getTime()) : 0;
}

/**
 * Counts a lookup before it is made: written first as a failure, then the failures counted,
 * itself included, so of any number of lookups at once no more than the limit get past
 * (counting first and writing after let 142 of 200 through a limit of 40). The row is taken
 * out again when the lookup is turned away or the code turns out right.
 */
async function beginLookup(db: Db, address: string, now: Date): Promise<{ id: number; wait: number }> {
	const id = await queries.insertCodeFailure(db, address, now);
	const wait = await waitAfter(db, address, now, ADDRESS_FAILURE_LIMIT + 1);
	if (wait > 0) await queries.deleteCodeFailure(db, id);
	return { id, wait };
}

type Found = NonNullable<Awaited<ReturnType<typeof queries.findCodeByText>>>;

const refusedCode = (reason: CodeRefusal, message: string) => refused(reason, message, 'code');

async function refuseCode(db: Db, address: string, now: Date, reason: 'unknown' | 'expired' | 'closed', codeId?: string) {
	const messages = {
		unknown: `There is no session with this code. Check the code and try again. ${ASK}`,
		expired: `This session code has expired. Ask the person running the session for a new code.`,
		closed: `This session code has been closed. Ask the person running the session for a new code.`
	};
	await withTransaction(db, async (trx) => {
		await queries.pruneCodeFailures(trx, new Date(now.getTime() - 24 * 60 * 60 * 1000));
		await insertAuditEvent(trx, {
			actorId: null,
			action: 'outcomes.public_code_refused',
			entityType: 'outcome_session_code',
			entityId: codeId,
			detail: { reason },
			address
		});
	});
	return refusedCode(reason, messages[reason]);
}

/** A code typed on the form, checked: throttle first, then that it exists, is open and its session goes ahead. */
async function lookUp(db: Db, typed: string, address: string, now: Date): Promise<Result<{ code: string; found: Found }>> {
	const code = normaliseSessionCode(typed);
	if (code === '') return refusedCode('missing', 'Enter the session code');
	const lookup = await beginLookup(db, address, now);
	if (lookup.wait > 0) return refusedCode('throttled', waitMessage(lookup.wait));
	// A badly shaped code is the user's slip, not a guess: it does not count.
	if (!isSessionCodeShape(code)) {
		await queries.deleteCodeFailure(db, lookup.id);
		return refusedCode('missing', `The session code is 6 letters and numbers, like K7PX3Q. ${ASK}`);
	}
	const found = await queries.findCodeByText(db, code);
	if (!found) return refuseCode(db, address, now, 'unknown');
	if (found.closed_at || found.status === 'cancelled') return refuseCode(db, address, now, 'closed', found.id);
	if (found.expires_at <= now) return refuseCode(db, address, now, 'expired', found.id);
	await queries.deleteCodeFailure(db, lookup.id);
	return ok({ code, found });
}

async function formFor(db: Db, found: Found): Promise<PublicForm> {
	return {
		programmeName: found.programme_name,
		date: londonParts(found.starts_at).date,
		schools: await queries.listBookedSchools(db, found.session_id),
		questions: (await queries.listActiveQuestions(db, found.programme_id)).map((q) => ({ id: q.id, wording: q.wording }))
	};
}

/** A lead may retire every statement, or a booking be cancelled, after the code was opened. */
const NOTHING_TO_ANSWER = refusedCode('closed', 'This session is not taking answers at the moment. Ask the person running the session.');
const answerable = (form: PublicForm) => form.questions.length > 0 && form.schools.length > 0;

/** The first step: a session code typed by a young person opens the questions, or says why not. */
export async function openPublicForm(db: Db, typed: string, address: string, now = new Date()): Promise<Result<{ code: string; form: PublicForm }>> {
	const lookup = await lookUp(db, typed, address, now);
	if (!lookup.ok) return lookup;
	const form = await formFor(db, lookup.found);
	return answerable(form) ? ok({ code: lookup.code, form }) : NOTHING_TO_ANSWER;
}

/**
 * The second step: a young person's answers, saved against the session of the code if it is
 * still open. Wrong answers are `invalid`; the form to show them again with is the first
 * step's, opened again with the same code.
 */
export async function answerPublicForm(db: Db, typed: string, values: QuestionnaireValues, address: string, now = new Date()): Promise<Result> {
	const lookup = await lookUp(db, typed, address, now);
	if (!lookup.ok) return lookup;
	const { found } = lookup;
	const form = await formFor(db, found);
	if (!answerable(form)) return NOTHING_TO_ANSWER;
	const place: DatedPlace = { programmeId: found.programme_id, sessionId: found.session_id, answeredOn: form.date, schoolIds: form.schools.map((s) => s.id) };
	let result: Result;
	try {
		result = await withTransaction(db, async (trx): Promise<Result> => {
			// Lock, then check, then write: answers arriving together cannot overrun the code's allowance.
			const locked = await queries.lockCode(trx, found.id);
			if (!locked || locked.closed_at || locked.expires_at <= now)
				return refusedCode('closed', 'This session code has just been closed. Your answers were not saved.');
			if ((await queries.countQuestionnairesWithCode(trx, found.id)) >= answersPerCode(found.capacity)) {
				return refusedCode('full', `This session code cannot take any more answers. ${ASK}`);
			}
			const { errors, checked } = await checkQuestionnaire(trx, place, 'anonymous', values, form.questions, true);
			if (!checked) return invalid(errors);
			await saveQuestionnaire(trx, place, checked, { sessionCodeId: found.id }, address);
			return ok();
		});
	} catch (error) {
		// Someone with the same matching code saved the same moment a moment earlier.
		if ((error as { code?: unknown })?.code === '23505') {
			return invalidField('matchingCode', 'This matching code has just answered these questions at this session. Check the code, or choose another');
		}
		throw error;
	}
	if (result.ok) reportFiguresChanged({});
	return result;
}

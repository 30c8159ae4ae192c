import type { Transaction } from 'kysely';
import { withTransaction, type Db } from '../db';
import type { DB } from '../db/schema';
import { insertAuditEvent, insertAuditEvents } from '../audit/audit.queries';
import { authoriseErasure, roleMay } from '../auth/policy';
import type { Actor } from '../auth/session';
import { UUID } from '../forms';
import { hasErrors, invalid, ok, refused, type Result } from '../result';
import { reportFiguresChanged } from '../reports/rollups';
import { londonParts } from '../time';
import { anonymiseYoungPeople, findYoungPerson, findYoungPersonWithSchool } from '../young-people/young-people.queries';
import { nameScrubber, type NamedPerson } from './name-scrub';
import { freeText, listFreeText, listYoungPeopleDue, updateFreeText, type FreeTextTable } from './retention.queries';
import { validateErasure, type ErasureValues } from './retention.schema';

// A young person's personal data over its lifetime: anonymised at once on request (erasure), or
// once past every programme's retention period (the daily run). Both are one anonymisation:
// names and monitoring answers go, from the record and from any free text that holds them
// (audit details, outbox messages, meeting notes, booking notes, report narratives); the row
// stays, with its school and year group, so every report figure for past periods is unchanged.
// Names are never logged: the run reports counts, and the audit names young people by id.

/** More distinct name words than this and the free text is read whole rather than searched for each word. */
const MOST_WORDS_SEARCHED = 200;
/** Young people anonymised in one transaction by a long run. */
export const RUN_BATCH = 2000;

const WORD = /[\p{L}\p{N}]+/gu;
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Removes these people's names from every free text that holds them; returns how many rows changed. */
async function scrubFreeText(db: Db, people: readonly NamedPerson[]): Promise<number> {
	if (people.length === 0) return 0;
	const scrubber = nameScrubber(people);
	const words = new Set(people.flatMap((p) => [p.first_name, p.last_name].flatMap((n) => (n.toLowerCase().match(WORD) ?? []).slice(0, 1))));
	const search = words.size <= MOST_WORDS_SEARCHED ? [...words] : undefined;
	let changed = 0;
	for (const table of Object.keys(freeText) as FreeTextTable[]) {
		for (const row of await listFreeText(db, table, search)) {
			const about = [...(row.about ?? []).filter((id): id is string => !!id), ...row.texts.flatMap((t) => t?.match(UUIDS) ?? [])];
			const texts = row.texts.map((text, i) => {
				if (text === null || !scrubber.mayMention(text)) return text;
				return freeText[table].columns[i] === 'detail' ? JSON.stringify(scrubber.scrubJson(JSON.parse(text), about)) : scrubber.scrub(text, about);
			});
			if (texts.some((t, i) => t !== row.texts[i])) {
				await updateFreeText(db, table, row.key, texts);
				changed++;
			}
		}
	}
	return changed;
}

/** Anonymises these young people (those not yet anonymised) and their names in free text; returns who changed. */
export async function anonymise(trx: Transaction<DB>, ids: readonly string[], now: Date): Promise<string[]> {
	const before = await anonymiseYoungPeople(trx, ids, now);
	await scrubFreeText(trx, before);
	return before.map((p) => p.id);
}

/**
 * Erases one young person at an admin's request: anonymised at once, the reason kept in the
 * audit (with their names taken out of it, should it hold them). Erasing someone already
 * anonymised changes nothing, is refused with a message and audited.
 */
export async function eraseYoungPerson(db: Db, actor: Actor, id: string, values: ErasureValues, now: Date): Promise<Result<{ id: string }>> {
	const found = await authoriseErasure(db, actor, id, UUID.test(id) ? await findYoungPerson(db, id) : undefined);
	const { errors, input } = validateErasure(values);
	if (hasErrors(errors)) return invalid(errors);
	const reason = nameScrubber([found]).scrub(input.reason, [found.id]);
	const result = await withTransaction(db, async (trx) => {
		const changed = await anonymise(trx, [found.id], now);
		if (changed.length === 0) {
			await insertAuditEvent(trx, {
				actorId: actor.id,
				action: 'young_person.erase_refused',
				entityType: 'young_person',
				entityId: found.id,
				detail: { why: 'already_anonymised' },
				address: actor.address
			});
			return refused('already_anonymised', 'This young person has already been anonymised: there is nothing left to erase', 'reason');
		}
		await insertAuditEvent(trx, {
			actorId: actor.id,
			action: 'young_person.erased',
			entityType: 'young_person',
			entityId: found.id,
			detail: { reason },
			address: actor.address
		});
		return ok({ id: found.id });
	});
	// Figures stay the same by design, but this is rare enough to check with a whole rebuild.
	if (result.ok) reportFiguresChanged();
	return result;
}

/** The erase page: who is to be erased (admins only; anyone else a 404, audited), and whether they already are. */
export async function openErasure(db: Db, actor: Actor, id: string) {
	const found = await authoriseErasure(db, actor, id, UUID.test(id) ? await findYoungPersonWithSchool(db, id) : undefined);
	return { id: found.id, name: `${found.first_name} ${found.last_name}`, schoolName: found.school_name, anonymisedAt: found.anonymised_at };
}

/** What a young person's page offers this actor: erasure (admins) and the subject access download (admins, school contacts). */
export function lifetimeActions(actor: Actor) {
	return { erase: roleMay(actor, 'young_person.erase'), subjectAccess: roleMay(actor, 'young_person.subject_access') };
}

export interface RetentionRun {
	/** The UK day the periods were compared with. */
	today: string;
	/** Young people past every period: listed by a dry run, anonymised otherwise. */
	due: { id: string; kept_until: string }[];
	anonymised: number;
}

/**
 * Finds the young people past every retention period on `now`'s UK day and, unless a dry run,
 * anonymises them in transactions of RUN_BATCH, each audited by id. Given a transaction (the
 * scheduler's daily claim), everything happens in it.
 */
export async function runRetention(db: Db, now: Date, options: { dryRun?: boolean; batch?: number } = {}): Promise<RetentionRun> {
	const today = londonParts(now).date;
	const due = await listYoungPeopleDue(db, today);
	if (options.dryRun) return { today, due, anonymised: 0 };
	const batch = options.batch ?? RUN_BATCH;
	const keptUntil = new Map(due.map((d) => [d.id, d.kept_until]));
	let anonymised = 0;
	for (let i = 0; i < due.length; i += batch) {
		const ids = due.slice(i, i + batch).map((d) => d.id);
		anonymised += await withTransaction(db, async (trx) => {
			const changed = await anonymise(trx, ids, now);
			await insertAuditEvents(
				trx,
				changed.map((id) => ({
					actorId: null,
					action: 'young_person.anonymised',
					entityType: 'young_person',
					entityId: id,
					detail: { by: 'retention', keptUntil: keptUntil.get(id) }
				}))
			);
			return changed.length;
		});
	}
	// Once a night, touching people across every school: a whole rebuild rather than a scope.
	if (anonymised > 0) reportFiguresChanged();
	return { today, due, anonymised };
}

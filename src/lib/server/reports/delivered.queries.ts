import { sql } from 'kysely';
import type { Db } from '../db';
import { londonParts } from '../time';

/**
 * The day a report's default period is taken from: the UK date of the latest session that has
 * started and was not cancelled, so a report opens on the latest period with something
 * delivered rather than on an empty current year. With nothing delivered yet, today.
 */
export async function latestDeliveredDay(db: Db, now = new Date()): Promise<string> {
	const row = await db
		.selectFrom('programme_session')
		.select(sql<Date | null>`max(starts_at)`.as('latest'))
		.where('starts_at', '<=', now)
		.where('status', '<>', 'cancelled')
		.executeTakeFirst();
	return londonParts(row?.latest ? new Date(row.latest) : now).date;
}

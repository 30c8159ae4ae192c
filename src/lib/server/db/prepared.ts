import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

// Statements prepared once per connection. PostgreSQL parses and plans an unnamed statement
// every time it runs; a named one is parsed once per connection and, after five runs, planned
// once if a generic plan costs no more than planning each time. For the overview's outcomes, a
// long statement that finds little, that is a millisecond of PostgreSQL's time on each request
// turned into a tenth of one (`npm run bench`).
//
// Only statements marked with `PREPARED` are named: their text must not vary with the values
// (pass lists as one array parameter, `= any($1)`, never as `in ($1, $2, ...)`), or each
// length would be one more statement held by every connection. Unmarked statements run as
// before. The embedded database (PGlite) ignores the mark: it is a comment.

const MARK = '/* prepared */';

/** Put at the start of a `sql` template, or after a query builder's SQL with `.modifyEnd(PREPARED)`. */
export const PREPARED = sql.raw(MARK);

/** Statement names by text; the marked texts are few, so this stays small. */
const names = new Map<string, string>();

function nameOf(text: string): string {
	let name = names.get(text);
	if (!name) {
		name = `ypt_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
		names.set(text, name);
	}
	return name;
}

const preparing = new WeakSet<pg.PoolClient>();

/**
 * The connection, answering marked statements as named (prepared) ones. The pg client keeps which
 * names it has prepared on its own connection, so a new connection (after a restart) prepares
 * them again as they are first used.
 */
export function prepareMarked(client: pg.PoolClient): pg.PoolClient {
	if (preparing.has(client)) return client;
	preparing.add(client);
	const query = client.query.bind(client) as (...args: unknown[]) => unknown;
	client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
		if (typeof text === 'string' && text.includes(MARK) && (values === undefined || Array.isArray(values)))
			return query({ name: nameOf(text), text, values }, callback);
		return query(text, values, callback);
	}) as typeof client.query;
	return client;
}

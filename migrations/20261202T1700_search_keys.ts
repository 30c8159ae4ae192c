import { sql, type Kysely } from 'kysely';

// Search finds people as their names are spoken: "zoe" finds Zoë, "oneill" O'Neill, "obrien"
// O’Brien, "lukasz" Łukasz. A name's search key is lower case, without accents, apostrophes,
// hyphens or spaces; a search compares its own key with it. The key is computed by the database
// (a generated column), so every writer of a name (forms, imports, the demo) keeps it right, and
// by the same function on both PostgreSQL and PGlite (neither needs the unaccent extension).
//
// Letters that lose their accent by a plain swap are in the translate() lists; those that become
// two letters (ß, æ, œ, ĳ) are replaced first. src/lib/search-key.ts is the same rule in
// TypeScript, for searches that run in the browser; a test holds the two equal.

const FROM = 'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšșţťŧțùúûüũūŭůűųŵýÿŷźżžðάέήίόύώϊϋΐΰςё';
const TO = 'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssssttttuuuuuuuuuuwyyyzzzdαεηιουωιυιυσе';

export async function up(db: Kysely<any>): Promise<void> {
	await sql
		.raw(
			`create function search_key(value text) returns text language sql immutable parallel safe return
				regexp_replace(
					translate(replace(replace(replace(replace(lower(value), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'ĳ', 'ij'), '${FROM}', '${TO}'),
					'[^[:alnum:]]', '', 'g')`
		)
		.execute(db);
	// First name then last, and last then first: "okafor amira" finds Amira Okafor too.
	const personKey = `search_key(first_name || last_name) || ' ' || search_key(last_name || first_name)`;
	await sql.raw(`alter table young_person add column search_key text not null generated always as (${personKey}) stored`).execute(db);
	await sql.raw(`alter table school add column search_key text not null generated always as (search_key(name)) stored`).execute(db);
	await sql.raw(`alter table app_user add column search_key text not null generated always as (search_key(name)) stored`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['young_person', 'school', 'app_user']) await sql.raw(`alter table ${table} drop column search_key`).execute(db);
	await sql`drop function search_key(text)`.execute(db);
}

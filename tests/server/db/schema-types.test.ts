import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../support/database';
import { readSchemaTypes, type ColumnTypes } from '../../support/schema-types';

// The table types in src/lib/server/db/schema.ts are written by hand. This compares them with
// the migrated database, column by column, on whichever database the project runs on.

const t = useTestDatabase();

interface DatabaseColumn {
	table_name: string;
	column_name: string;
	udt_name: string;
	is_nullable: 'YES' | 'NO';
	column_default: string | null;
	is_identity: 'YES' | 'NO';
	identity_generation: string | null;
	is_generated: string;
}

// What each column type comes back as, with the parsers set in src/lib/server/db/database.ts:
// bigint and numeric as numbers, a date as its 'YYYY-MM-DD' text.
const selectKinds: Record<string, string[]> = {
	text: ['string'],
	varchar: ['string'],
	uuid: ['string'],
	date: ['string'],
	int2: ['number'],
	int4: ['number'],
	int8: ['number'],
	numeric: ['number'],
	bool: ['boolean'],
	timestamptz: ['Date'],
	jsonb: ['object', 'unknown']
};

function expectedKinds(udt: string): string[] {
	if (udt.startsWith('_')) return expectedKinds(udt.slice(1)).map((kind) => `${kind}[]`);
	return selectKinds[udt] ?? [`(no TypeScript type known for ${udt}: add it to this test)`];
}

/** The literals a single-column CHECK allows: `x in ('a', 'b')`, or `xs <@ array['a', 'b']` for an array. */
function allowedLiterals(column: string, definition: string): string[] | undefined {
	// Under an OR the list would not be the whole story.
	if (/\bOR\b/.test(definition)) return undefined;
	const list = new RegExp(`\\("?${column}"? (?:= ANY \\(|<@ )ARRAY\\[([^\\]]*)\\]`).exec(definition)?.[1];
	if (list === undefined) return undefined;
	return [...list.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1]!.replaceAll("''", "'")).sort();
}

describe('the DB interface in schema.ts', () => {
	let declared: Map<string, Map<string, ColumnTypes>>;
	let columns: DatabaseColumn[];
	let literals: Map<string, string[]>;

	beforeAll(() => {
		declared = readSchemaTypes();
	});

	beforeAll(async () => {
		// Outside the test's transaction: only reads, and the catalogue is the same in both.
		const db = t.root;
		({ rows: columns } = await sql<DatabaseColumn>`
			select c.table_name, c.column_name, c.udt_name, c.is_nullable, c.column_default,
				c.is_identity, c.identity_generation, c.is_generated
			from information_schema.columns c
			join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name
			where c.table_schema = 'public' and tb.table_type = 'BASE TABLE' and c.table_name not like 'kysely\\_%'
			order by c.table_name, c.ordinal_position`.execute(db));
		const { rows: checks } = await sql<{ table_name: string; column_name: string; definition: string }>`
			select cl.relname as table_name, a.attname as column_name, pg_get_constraintdef(con.oid) as definition
			from pg_constraint con
			join pg_class cl on cl.oid = con.conrelid
			join pg_namespace n on n.oid = cl.relnamespace
			join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
			where con.contype = 'c' and n.nspname = 'public' and cardinality(con.conkey) = 1`.execute(db);
		literals = new Map();
		for (const check of checks) {
			const allowed = allowedLiterals(check.column_name, check.definition);
			if (allowed) literals.set(`${check.table_name}.${check.column_name}`, allowed);
		}
	});

	it('has every table of the database, and no other', () => {
		const tables = [...new Set(columns.map((c) => c.table_name))].sort();
		expect(tables.length).toBeGreaterThan(20);
		expect([...declared.keys()].sort()).toEqual(tables);
	});

	it('has every column of each table, and no other', () => {
		for (const [table, declaredColumns] of declared) {
			const inDatabase = columns.filter((c) => c.table_name === table).map((c) => c.column_name);
			expect([...declaredColumns.keys()].sort(), table).toEqual(inDatabase.sort());
		}
	});

	it("gives each column the type a select returns, null where it may be null, and optional inserts where there's a default", () => {
		const mismatches: string[] = [];
		for (const column of columns) {
			const name = `${column.table_name}.${column.column_name}`;
			const types = declared.get(column.table_name)?.get(column.column_name);
			if (!types) continue; // reported by the test above
			const nullable = column.is_nullable === 'YES';
			const always = column.identity_generation === 'ALWAYS' || column.is_generated === 'ALWAYS';
			const hasDefault = column.column_default !== null || column.is_identity === 'YES' || always;
			const kinds = expectedKinds(column.udt_name);

			if (!kinds.includes(types.select.kind)) {
				mismatches.push(`${name}: ${column.udt_name} should select as ${kinds.join(' or ')}, not ${types.select.kind}`);
			}
			if (types.select.nullable !== nullable) {
				mismatches.push(`${name}: ${nullable ? 'nullable, but schema.ts has no | null' : 'not null, but schema.ts has | null'}`);
			}
			if (always) {
				if (types.insertable || types.updateable) {
					mismatches.push(`${name}: generated always, so GeneratedAlways<> (no insert or update)`);
				}
			} else if (!types.insertable) {
				if (!hasDefault) mismatches.push(`${name}: has no default, yet schema.ts lets no insert give it`);
			} else if (types.insertOptional !== (nullable || hasDefault)) {
				mismatches.push(
					types.insertOptional
						? `${name}: not null without a default, yet an insert may leave it out`
						: `${name}: ${hasDefault ? 'has a default (Generated<>)' : 'may be null'}, so an insert may leave it out`
				);
			}
		}
		expect(mismatches).toEqual([]);
	});

	it('lists exactly the values a CHECK allows where a column is a union of string literals', () => {
		const mismatches: string[] = [];
		for (const [table, declaredColumns] of declared) {
			for (const [column, types] of declaredColumns) {
				const name = `${table}.${column}`;
				const allowed = literals.get(name);
				const union = types.select.literals;
				if (allowed && !union) {
					mismatches.push(`${name}: CHECK allows only ${allowed.join(', ')}, but schema.ts has ${types.select.kind}`);
				} else if (union && !allowed) {
					mismatches.push(`${name}: schema.ts allows only ${union.join(', ')}, but no CHECK limits the database to them`);
				} else if (union && allowed && union.join() !== allowed.join()) {
					mismatches.push(`${name}: CHECK allows ${allowed.join(', ')}; schema.ts allows ${union.join(', ')}`);
				}
			}
		}
		expect(mismatches).toEqual([]);
	});
});

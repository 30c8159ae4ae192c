import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../support/database';

// docs/data-inventory.md lists every column of every table, each marked as personal data or not.
// A column added by a migration and not listed (or listed and gone) fails here, so the inventory,
// and the privacy notice written from it, stay true.

const t = useTestDatabase();
const inventory = readFileSync(new URL('../../../docs/data-inventory.md', import.meta.url), 'utf8');

/** `table.column` for every column row of the inventory, under its `## \`table\`` heading. */
function listedColumns(text: string): string[] {
	const listed: string[] = [];
	let table: string | undefined;
	for (const line of text.split('\n')) {
		const heading = /^## `(\w+)`/.exec(line);
		if (heading) table = heading[1];
		const row = /^\| `(\w+)`\s*\|\s*(.+?)\s*\|$/.exec(line);
		if (row && table) {
			expect(row[2], `${table}.${row[1]} says whether it is personal data`).toMatch(/^(no|yes: .+)$/);
			listed.push(`${table}.${row[1]}`);
		}
	}
	return listed;
}

describe('the data inventory', () => {
	it('lists every column of the migrated schema, and nothing else', async () => {
		const columns = await sql<{ name: string }>`
			select table_name || '.' || column_name as name from information_schema.columns
			where table_schema = 'public' order by 1`.execute(t.db);
		const inDatabase = columns.rows.map((r) => r.name).sort();
		const listed = listedColumns(inventory).sort();
		expect(
			inDatabase.filter((c) => !listed.includes(c)),
			'columns missing from docs/data-inventory.md'
		).toEqual([]);
		expect(
			listed.filter((c) => !inDatabase.includes(c)),
			'columns in docs/data-inventory.md that the schema no longer has'
		).toEqual([]);
		expect(new Set(listed).size).toBe(listed.length);
	});

	it('says how many columns it lists and how many hold personal data', () => {
		const listed = listedColumns(inventory);
		const personal = inventory.split('\n').filter((line) => /^\| `\w+`\s*\|\s*yes: /.test(line)).length;
		expect(inventory).toContain(
			`${listed.length} columns in ${new Set(listed.map((c) => c.split('.')[0])).size} tables; ${personal} of them hold personal data`
		);
	});
});

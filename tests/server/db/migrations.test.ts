import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations';
import type { AppDatabase } from '../../../src/lib/server/db/database';
import { migrateDown, migrateToLatest } from '../../../src/lib/server/db/migrate';
import { openTestDatabase } from '../../support/database';

describe('migrations/index.ts', () => {
	it('lists every migration file in the folder', () => {
		const files = readdirSync(new URL('../../../migrations/', import.meta.url))
			.filter((file) => file.endsWith('.ts') && file !== 'index.ts')
			.map((file) => file.replace(/\.ts$/, ''));
		expect(Object.keys(migrations).sort()).toEqual(files.sort());
	});
});

describe('migrateDown and migrateToLatest', () => {
	// Outside any test transaction: the migrator opens transactions of its own.
	let database: AppDatabase;
	beforeAll(async () => {
		database = await openTestDatabase();
	});
	afterAll(async () => {
		await database?.close();
	});

	const appTables = async () => {
		const { rows } = await sql<{ name: string }>`
			select table_name as name from information_schema.tables
			where table_schema = 'public' and table_name not like 'kysely_%'
			order by table_name`.execute(database.db);
		return rows.map((r) => r.name);
	};

	it('take the schema down and back up again', async () => {
		const tables = await appTables();
		expect(tables).toEqual(expect.arrayContaining(['app_user', 'audit_event', 'school']));
		const names = Object.keys(migrations);
		// Down one at a time: each down must undo exactly what its up did.
		for (const name of [...names].reverse()) expect(await migrateDown(database.db)).toEqual([`reverted ${name}`]);
		expect(await appTables()).toEqual([]);
		expect(await migrateToLatest(database.db)).toEqual(names.map((name) => `applied ${name}`));
		expect(await appTables()).toEqual(tables);
	});
});

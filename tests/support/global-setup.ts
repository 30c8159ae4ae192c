import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { openDatabase } from '../../src/lib/server/db/database';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { adminUrl, databaseUrl } from './postgres';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		postgresTemplate: string;
	}
}

/**
 * Migrates one template database per run: every test file then starts from a copy of it
 * rather than migrating its own (a fresh PGlite takes about 4 seconds to create).
 */
export default async function setup(project: TestProject) {
	if (project.name === 'pglite') {
		const pglite = await PGlite.create();
		const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
		await migrateToLatest(db);
		const dump = await pglite.dumpDataDir('gzip');
		await db.destroy();
		const dir = mkdtempSync(join(tmpdir(), 'ypt-template-'));
		const file = join(dir, 'template.tgz');
		writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
		project.provide('pgliteTemplate', file);
		return () => rmSync(dir, { recursive: true, force: true });
	}
	const template = `ypt_template_${process.pid}`;
	const admin = new pg.Client({ connectionString: adminUrl() });
	await admin.connect();
	await admin.query(`drop database if exists ${template}`);
	await admin.query(`create database ${template}`);
	const { db, close } = await openDatabase({ kind: 'postgres', url: databaseUrl(template) });
	await migrateToLatest(db);
	await close();
	project.provide('postgresTemplate', template);
	return async () => {
		await admin.query(`drop database if exists ${template} with (force)`);
		await admin.end();
	};
}

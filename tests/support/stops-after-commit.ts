import type { Kysely, KyselyPlugin, RootOperationNode } from 'kysely';
import type { DB } from '../../src/lib/server/db/schema';

/** What a query gets once the process "stopped" (see stopsAfterCommit). */
export class ProcessStopped extends Error {
	constructor() {
		super('The process stopped right after the commit');
	}
}

const writes = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

function rawText(node: RootOperationNode): string | undefined {
	return node.kind === 'RawNode' ? node.sqlFragments.join('?').trim().toLowerCase() : undefined;
}

/**
 * The test's transaction as seen by a process that dies the moment a service's change commits:
 * the first query after it throws ProcessStopped. Inside the test's transaction a service's
 * transaction is a savepoint (db/transaction.ts), so its commit is the release of the outermost
 * savepoint; outside one, every write commits on its own. Whatever the service meant to write
 * after its commit is then never written.
 */
export function stopsAfterCommit(trx: Kysely<DB>): Kysely<DB> {
	let depth = 0;
	let stopped = false;
	const plugin: KyselyPlugin = {
		transformQuery({ node }) {
			if (stopped) throw new ProcessStopped();
			// Outside any transaction, each write commits on its own.
			if (depth === 0 && writes.has(node.kind)) stopped = true;
			const text = rawText(node);
			if (text?.startsWith('savepoint')) depth++;
			if (text?.startsWith('release savepoint') && --depth === 0) stopped = true;
			if (text?.startsWith('rollback to savepoint')) depth--;
			return node;
		},
		async transformResult({ result }) {
			return result;
		}
	};
	return trx.withPlugin(plugin);
}

/** Waits for a service run through stopsAfterCommit: stopping is expected, any other failure is not. */
export async function untilStopped(work: Promise<unknown>): Promise<void> {
	try {
		await work;
	} catch (error) {
		if (!(error instanceof ProcessStopped)) throw error;
	}
}

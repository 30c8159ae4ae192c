import { UUID } from '../forms';

// What a register kept on a device sends when it comes back online: a batch of changes, each
// with an id the device made (a UUID), the young person, the status and the version of the
// mark it was based on (null when there was none). Checked for shape only here; the service
// checks it against the register.

/** The most changes one request carries: the device sends a long queue in several. */
export const MAX_SYNC_BATCH = 250;

export interface SyncChange {
	clientId: string;
	youngPersonId: string;
	status: string;
	basedOn: number | null;
}

/** The batch's changes, or why it cannot be read. */
export function syncChangesFromJson(body: unknown): { changes: SyncChange[] } | { problem: string } {
	const list = (body as { changes?: unknown } | null)?.changes;
	if (!Array.isArray(list) || list.length === 0) return { problem: 'No changes were sent' };
	if (list.length > MAX_SYNC_BATCH) return { problem: `Send at most ${MAX_SYNC_BATCH} changes at once` };
	const changes: SyncChange[] = [];
	for (const item of list as unknown[]) {
		const c = item as Partial<Record<keyof SyncChange, unknown>> | null;
		if (
			typeof c?.clientId !== 'string' ||
			!UUID.test(c.clientId) ||
			typeof c.youngPersonId !== 'string' ||
			!UUID.test(c.youngPersonId) ||
			typeof c.status !== 'string' ||
			!(c.basedOn === null || typeof c.basedOn === 'number')
		) {
			return { problem: 'A change was sent incomplete: reload the register and make your changes again' };
		}
		changes.push({ clientId: c.clientId.toLowerCase(), youngPersonId: c.youngPersonId.toLowerCase(), status: c.status, basedOn: c.basedOn });
	}
	return { changes };
}

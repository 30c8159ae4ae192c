import { UUID } from '../forms';
import { MAX_SYNC_BATCH } from './offline-sync.schema';

// What a headcount or workstation register kept on a device sends when it comes back online:
// a batch of counts, each with an id the device made (a UUID), the school and year group
// counted, the count, and the version of the count it was based on (null when there was none).
// Checked for shape only here; the service checks each against the register.

export interface CountChange {
	clientId: string;
	schoolId: string;
	yearGroup: string;
	count: number;
	basedOn: number | null;
}

/** The batch's counts, or why it cannot be read. A count that is not a whole number is read, and refused by the service with its own message. */
export function countChangesFromJson(body: unknown): { changes: CountChange[] } | { problem: string } {
	const list = (body as { changes?: unknown } | null)?.changes;
	if (!Array.isArray(list) || list.length === 0) return { problem: 'No counts were sent' };
	if (list.length > MAX_SYNC_BATCH) return { problem: `Send at most ${MAX_SYNC_BATCH} counts at once` };
	const changes: CountChange[] = [];
	for (const item of list as unknown[]) {
		const c = item as Partial<Record<keyof CountChange, unknown>> | null;
		if (
			typeof c?.clientId !== 'string' ||
			!UUID.test(c.clientId) ||
			typeof c.schoolId !== 'string' ||
			!UUID.test(c.schoolId) ||
			typeof c.yearGroup !== 'string' ||
			typeof c.count !== 'number' ||
			!(c.basedOn === null || typeof c.basedOn === 'number')
		) {
			return { problem: 'A count was sent incomplete: reload the register and count again' };
		}
		changes.push({ clientId: c.clientId.toLowerCase(), schoolId: c.schoolId.toLowerCase(), yearGroup: c.yearGroup, count: c.count, basedOn: c.basedOn });
	}
	return { changes };
}

import { getDb } from '$lib/server/db';
import { endReasonLabels, getPair, topicLabels } from '$lib/server/mentoring/mentoring.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { PageServerLoad } from './$types';

// A pair's own page: its meetings, each to correct or delete, and ending the pair.

export const load: PageServerLoad = async ({ locals, params }) => {
	const { pair, meetings, finished } = await getPair(getDb(), signedIn(locals), idParam(params.id), idParam(params.pairId));
	return {
		programmeId: params.id,
		pair: { ...pair, end_reason_label: pair.end_reason ? endReasonLabels[pair.end_reason] : undefined },
		meetings: meetings.map((m) => ({ ...m, topicLabels: m.topics.map((t) => topicLabels[t]) })),
		finished
	};
};

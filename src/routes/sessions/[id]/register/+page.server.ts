import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getAttendanceSession, getHeadcounts, getRegister, markEveryonePresent, saveHeadcounts, saveMarks } from '$lib/server/attendance/attendance.service';
import { headcountsFromForm, marksFromForm } from '$lib/server/attendance/attendance.schema';
import { getStationSummary } from '$lib/server/attendance/station-registers.service';
import type { Result } from '$lib/server/result';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const db = getDb();
	const session = await getAttendanceSession(db, signedIn(locals), idParam(params.id));
	const named = session.register_kind === 'named';
	return {
		session,
		schools: named ? (await getRegister(db, signedIn(locals), session.id)).schools : [],
		counts: named ? [] : (await getHeadcounts(db, signedIn(locals), session.id)).counts,
		stationSummary: session.shape === 'carousel' ? await getStationSummary(db, signedIn(locals), session.id) : undefined,
		started: new Date() >= session.starts_at,
		saved: url.searchParams.get('saved'),
		changed: url.searchParams.get('changed')
	};
};

function done(id: string, result: Result<{ saved: number; changed: number }>, field: string, values: Record<string, string>) {
	if (!result.ok) return failed(result, values, field);
	redirect(303, `/sessions/${id}/register?saved=${result.saved}&changed=${result.changed}`);
}

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const { marks, values } = marksFromForm(await request.formData());
		return done(id, await saveMarks(getDb(), signedIn(locals), id, marks), 'register', values);
	},
	allPresent: async ({ locals, params }) => {
		const id = idParam(params.id);
		return done(id, await markEveryonePresent(getDb(), signedIn(locals), id), 'register', {});
	},
	counts: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const { counts, values } = headcountsFromForm(await request.formData());
		return done(id, await saveHeadcounts(getDb(), signedIn(locals), id, counts), 'counts', values);
	}
};

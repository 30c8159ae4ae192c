import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	getAttendanceSession,
	getHeadcounts,
	getRegister,
	markEveryonePresent,
	saveHeadcounts,
	saveMarks,
	type SaveAttendanceResult
} from '$lib/server/attendance/attendance.service';
import { getStationSummary } from '$lib/server/attendance/station-registers.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

// One form field per young person, `mark.<id>`, and per school and year group, `count.<school id>.<year group>`.
const MARK = 'mark.';
const COUNT = 'count.';

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

/** Fields of the form whose names start with the prefix, without it; empty ones left out. */
function prefixed(form: FormData, prefix: string): [string, string][] {
	return [...form.entries()]
		.filter((entry): entry is [string, string] => entry[0].startsWith(prefix) && typeof entry[1] === 'string' && entry[1].trim() !== '')
		.map(([name, value]) => [name.slice(prefix.length), value.trim()]);
}

function done(id: string, result: SaveAttendanceResult, key: string, values: Record<string, string>) {
	if (!result.ok) return fail(400, { errors: { [key]: result.message }, values });
	redirect(303, `/sessions/${id}/register?saved=${result.saved}&changed=${result.changed}`);
}

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const fields = prefixed(await request.formData(), MARK);
		const marks = fields.map(([youngPersonId, status]) => ({ youngPersonId, status }));
		return done(id, await saveMarks(getDb(), signedIn(locals), id, marks), 'register', Object.fromEntries(fields));
	},
	allPresent: async ({ locals, params }) => {
		const id = idParam(params.id);
		return done(id, await markEveryonePresent(getDb(), signedIn(locals), id), 'register', {});
	},
	counts: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const fields = prefixed(await request.formData(), COUNT);
		const counts = fields.map(([cell, value]) => {
			const [schoolId = '', yearGroup = ''] = cell.split('.');
			// Only digits are a count: "3.5", "-1" or "ten" reach the service as NaN and are refused.
			return { schoolId, yearGroup, count: /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN };
		});
		return done(id, await saveHeadcounts(getDb(), signedIn(locals), id, counts), 'counts', Object.fromEntries(fields));
	}
};

import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getAttendanceSession, getHeadcounts, getRegister, saveHeadcounts, saveMarks } from '$lib/server/attendance/attendance.service';
import { countChangesFromForm, registerChangesFromForm, unmarkedAsPresent } from '$lib/server/attendance/attendance.schema';
import { getStationSummary } from '$lib/server/attendance/station-registers.service';
import { attendedStatuses } from '$lib/server/db/schema';
import { field } from '$lib/server/forms';
import type { Result } from '$lib/server/result';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { serverRendered } from '$lib/server-rendered';

// The named register is rendered on the server only: 802 rows hydrated would cost a tablet
// seconds and send every row twice (as HTML and as data). Search, filters, totals and "mark all
// unmarked as present" are added by /register.js where scripts run, and work as forms where not.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const db = getDb();
	const session = await getAttendanceSession(db, signedIn(locals), idParam(params.id));
	const named = session.register_kind === 'named';
	const register = named ? await getRegister(db, signedIn(locals), session.id) : undefined;
	return serverRendered({
		session,
		schools: register?.schools ?? [],
		labels: register?.labels,
		// What the totals count as attended: the database's counts_as_attended(), mirrored in schema.ts.
		attended: attendedStatuses,
		counts: named ? [] : (await getHeadcounts(db, signedIn(locals), session.id)).counts,
		stationSummary: session.shape === 'carousel' ? await getStationSummary(db, signedIn(locals), session.id) : undefined,
		started: new Date() >= session.starts_at,
		saved: url.searchParams.get('saved'),
		changed: url.searchParams.get('changed')
	});
};

function done(id: string, result: Result<{ saved: number; changed: number }>, field: string, values: Record<string, string>) {
	if (!result.ok) return failed(result, values, field);
	redirect(303, `/sessions/${id}/register?saved=${result.saved}&changed=${result.changed}`);
}

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const form = await request.formData();
		const { changes, values } = registerChangesFromForm(form);
		const result = await saveMarks(getDb(), signedIn(locals), id, changes);
		// Someone else changed some of the same young people since the page was loaded: the rest
		// is saved, and those are shown back for the user to keep theirs or use their own.
		if (result.ok && result.conflicts.length > 0) {
			return fail(409, { conflicts: result.conflicts, saved: result.saved, changed: result.changed });
		}
		if (!result.ok) return failed(result, { choices: values, base: field(form, 'base') }, 'register');
		return done(id, result, 'register', values);
	},
	// "Mark all unmarked as present" without scripts: the register again with those rows
	// chosen, not saved, so it can be undone by reloading; with scripts it never reaches here.
	allPresent: async ({ request, locals, params }) => {
		await getRegister(getDb(), signedIn(locals), idParam(params.id));
		const form = await request.formData();
		const { values, changed } = unmarkedAsPresent(form);
		return { values: { choices: values, base: field(form, 'base') }, preset: changed };
	},
	counts: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const { changes, values } = countChangesFromForm(await request.formData(), false);
		const result = await saveHeadcounts(getDb(), signedIn(locals), id, changes);
		// As with marks: the other counts are saved, and those someone else changed meanwhile are shown back.
		if (result.ok && result.conflicts.length > 0) {
			return fail(409, { countConflicts: result.conflicts, saved: result.saved, changed: result.changed });
		}
		return done(id, result, 'counts', values);
	}
};

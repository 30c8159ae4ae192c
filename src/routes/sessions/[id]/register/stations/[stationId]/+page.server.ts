import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getStationRegister, saveStationHeadcounts } from '$lib/server/attendance/station-registers.service';
import { idParam } from '$lib/server/web/route-params';
import type { Actions, PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

// One field per school and year group, `count.<school id>.<year group>`; an empty one clears the count.
const COUNT = 'count.';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const register = await getStationRegister(getDb(), signedIn(locals), idParam(params.id), idParam(params.stationId));
	return {
		...register,
		started: new Date() >= register.session.starts_at,
		saved: url.searchParams.get('saved'),
		changed: url.searchParams.get('changed')
	};
};

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const id = idParam(params.id);
		const stationId = idParam(params.stationId);
		const fields = [...(await request.formData()).entries()]
			.filter((entry): entry is [string, string] => entry[0].startsWith(COUNT) && typeof entry[1] === 'string')
			.map(([name, value]) => [name, value.trim()] as const);
		const counts = fields.map(([name, value]) => {
			const [schoolId = '', yearGroup = ''] = name.slice(COUNT.length).split('.');
			// Only digits are a count: "3.5", "-1" or "ten" reach the service as NaN and are refused.
			return { schoolId, yearGroup, count: value === '' ? null : /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN };
		});
		const result = await saveStationHeadcounts(getDb(), signedIn(locals), id, stationId, counts);
		if (!result.ok) return fail(400, { errors: result.errors, values: Object.fromEntries(fields) });
		redirect(303, `/sessions/${id}/register/stations/${stationId}?saved=${result.saved}&changed=${result.changed}`);
	}
};

import { getDb } from '$lib/server/db';
import { getTimetable } from '$lib/server/sessions/carousel.service';
import { canManageProgramme } from '$lib/server/programmes/programmes.service';
import { idParam } from '$lib/server/web/route-params';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, params }) => {
	const timetable = await getTimetable(getDb(), signedIn(locals), idParam(params.id));
	return {
		...timetable,
		canManage: await canManageProgramme(getDb(), signedIn(locals), timetable.session.programme_id)
	};
};

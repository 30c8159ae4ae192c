import { getDb } from '$lib/server/db';
import { getTimetable } from '$lib/server/sessions/carousel.service';
import { canManageProgramme } from '$lib/server/programmes/programmes.service';
import { idParam } from '$lib/server/route-params';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const timetable = await getTimetable(getDb(), locals.user!, idParam(params.id));
	return {
		...timetable,
		canManage: await canManageProgramme(getDb(), locals.user!, timetable.session.programme_id),
		notice: url.searchParams.get('notice')
	};
};

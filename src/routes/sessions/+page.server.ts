import { getDb } from '$lib/server/db';
import { schoolPhases } from '$lib/server/db/schema';
import { oneOf, UUID } from '$lib/server/forms';
import { listProgrammes } from '$lib/server/programmes/programmes.service';
import { listSessionsFor } from '$lib/server/sessions/sessions.service';
import { sessionNeeds } from '$lib/server/sessions/sessions.queries';
import { addDays, fromLondon, londonParts } from '$lib/server/time';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = signedIn(locals);
	const view = url.searchParams.get('view') === 'month' ? 'month' : 'list';
	const programmeId = url.searchParams.get('programme') ?? '';
	const phase = url.searchParams.get('phase') ?? '';
	const needParam = url.searchParams.get('need') ?? '';
	const need = actor.role !== 'school' && oneOf(sessionNeeds, needParam) ? needParam : undefined;
	const today = londonParts(new Date()).date;
	const monthParam = url.searchParams.get('month') ?? '';
	const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(monthParam) ? monthParam : today.slice(0, 7);
	const monthStart = `${month}-01`;
	const nextMonth = addDays(monthStart, 32).slice(0, 7);
	const sessions = await listSessionsFor(getDb(), actor, {
		programmeId: UUID.test(programmeId) ? programmeId : undefined,
		phase: actor.role !== 'school' && oneOf(schoolPhases, phase) ? phase : undefined,
		from: view === 'month' ? fromLondon(monthStart) : new Date(),
		to: view === 'month' ? fromLondon(`${nextMonth}-01`) : undefined,
		need
	});
	const programmes = await listProgrammes(getDb(), actor);
	return {
		view,
		month,
		previousMonth: addDays(monthStart, -1).slice(0, 7),
		nextMonth,
		today,
		sessions: sessions.map((s) => ({ ...s, day: londonParts(s.starts_at).date })),
		programmes: programmes.map((p) => ({ id: p.id, name: p.name })),
		filter: { programme: programmeId, phase, need: need ?? '' },
		isSchool: actor.role === 'school'
	};
};

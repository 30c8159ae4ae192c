import { getDb } from '$lib/server/db';
import { listDayRegisters } from '$lib/server/attendance/day-registers.service';
import { listDayLogs } from '$lib/server/day-logs/day-logs.service';
import { londonParts } from '$lib/server/time';
import { signedIn } from '$lib/server/web/respond';
import type { PageServerLoad } from './$types';
import { serverRendered } from '$lib/server-rendered';

// Rendered on the server only, as the registers are: the page is kept on the device with them
// (static/day-offline.js) and must work as it was sent, with no app to load.
export const csr = false;

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const load: PageServerLoad = async ({ locals, url }) => {
	const asked = url.searchParams.get('day')?.trim() ?? '';
	const today = londonParts(new Date()).date;
	const valid =
		asked === '' || (DAY.test(asked) && !Number.isNaN(Date.parse(`${asked}T00:00:00Z`)) && new Date(`${asked}T00:00:00Z`).toISOString().startsWith(asked));
	const day = valid && asked !== '' ? asked : today;
	return serverRendered({
		day,
		today,
		asked,
		errors: valid ? undefined : { day: `Enter a real date as year, month and day, like ${today}` },
		sessions: valid ? await listDayRegisters(getDb(), signedIn(locals), day) : [],
		// Meetings and award days are logged on any day: listed whatever day is shown.
		dayLogs: await listDayLogs(getDb(), signedIn(locals))
	});
};

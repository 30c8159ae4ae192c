import { getDb } from '$lib/server/db';
import { listMySchoolBookings } from '$lib/server/bookings/bookings.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	bookings: await listMySchoolBookings(getDb(), locals.user!)
});

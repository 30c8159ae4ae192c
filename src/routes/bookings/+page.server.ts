import { getDb } from '$lib/server/db';
import { listMySchoolBookings } from '$lib/server/bookings/bookings.service';
import type { PageServerLoad } from './$types';
import { signedIn } from '$lib/server/web/respond';

export const load: PageServerLoad = async ({ locals }) => ({
	bookings: await listMySchoolBookings(getDb(), signedIn(locals))
});

import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { secondFactorStatus, turnOffSecondFactor } from '$lib/server/auth/second-factor.service';
import { field } from '$lib/server/forms';
import { failed, signedIn } from '$lib/server/web/respond';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const status = await secondFactorStatus(getDb(), signedIn(locals));
	return { ...status, turnedOff: url.searchParams.has('off') };
};

export const actions: Actions = {
	turnOff: async ({ request, locals }) => {
		const actor = signedIn(locals);
		const result = await turnOffSecondFactor(getDb(), actor, { code: field(await request.formData(), 'code'), address: actor.address ?? '' });
		if (!result.ok) return failed(result, {}, 'code');
		redirect(303, '/account/second-factor?off=1');
	}
};

import { getDb } from '$lib/server/db';
import { inviteChoices, inviteUser } from '$lib/server/users/users.service';
import { parseUserForm } from '$lib/server/users/users.schema';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { hasErrors, invalid } from '$lib/server/result';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { schools } = await inviteChoices(getDb(), signedIn(locals));
	return { schools, schoolId: url.searchParams.get('schoolId') ?? '' };
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		// Only admins get as far as the form's checks.
		await inviteChoices(getDb(), signedIn(locals));
		const { values, errors, input } = parseUserForm(await request.formData(), { withEmail: true });
		if (hasErrors(errors)) return failed(invalid(errors), values);
		const result = await inviteUser(getDb(), signedIn(locals), input, url.origin);
		if (!result.ok) return failed(result, values);
		redirectWithNotice(`/users/${result.userId}`, 'invited');
	}
};

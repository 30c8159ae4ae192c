import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/access';
import { importSchools, previewSchoolImport } from '$lib/server/schools/schools.service';
import { SCHOOL_IMPORT_MAX_BYTES } from '$lib/server/schools/schools.import';
import { readTextUpload } from '$lib/server/uploads';
import { field } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals }) => {
	await requireRole(getDb(), signedIn(locals), ['admin'], { entityType: 'school' });
};

export const actions: Actions = {
	preview: async ({ request, locals }) => {
		const upload = await readTextUpload((await request.formData()).get('file'), SCHOOL_IMPORT_MAX_BYTES);
		if ('problem' in upload) return fail(400, { errors: { file: upload.problem } });
		const plan = await previewSchoolImport(getDb(), signedIn(locals), upload.text);
		if (!plan.ok) return failed(plan, {}, 'file');
		return { preview: plan.rows.map((r) => ({ row: r.row, ...r.input, outcome: r.outcome })), csv: upload.text };
	},
	confirm: async ({ request, locals }) => {
		const csv = field(await request.formData(), 'csv');
		const result = await importSchools(getDb(), signedIn(locals), csv);
		if (!result.ok) return failed(result, {}, 'file');
		const { added, updated, unchanged } = result.counts;
		redirectWithNotice('/schools', `Import complete: ${added} added, ${updated} updated, ${unchanged} unchanged.`);
	}
};

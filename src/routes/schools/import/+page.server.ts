import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { importSchools, openSchoolImport, previewSchoolImport } from '$lib/server/schools/schools.service';
import { SCHOOL_IMPORT_MAX_BYTES } from '$lib/server/schools/schools.import';
import { readUpload } from '$lib/server/uploads';
import { invalidRows } from '$lib/server/result';
import { field, rawField } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals }) => {
	await openSchoolImport(getDb(), signedIn(locals));
};

export const actions: Actions = {
	preview: async ({ request, locals }) => {
		// Who may import is settled before the upload is read.
		await openSchoolImport(getDb(), signedIn(locals));
		const form = await request.formData();
		const upload = await readUpload(form.get('file'), SCHOOL_IMPORT_MAX_BYTES, { sheet: rawField(form, 'sheet') });
		if ('problem' in upload) return fail(400, { errors: { file: upload.problem } });
		if ('problems' in upload) return failed(invalidRows(upload.problems), {}, 'file');
		const district = rawField(form, 'district').trim();
		const plan = await previewSchoolImport(getDb(), signedIn(locals), upload.text, { district });
		if (!plan.ok) {
			// A workbook whose first sheet is not the list: offer its other sheets beside the file field.
			const failure = failed(plan, {}, 'file');
			return upload.format.kind === 'xlsx' && upload.format.sheets.length > 1
				? fail(failure.status, { ...failure.data, sheets: upload.format.sheets })
				: failure;
		}
		return {
			preview: plan.rows.map((r) => ({ row: r.row, ...r.input, outcome: r.outcome })),
			csv: upload.text,
			format: upload.format,
			gias: plan.gias ?? null
		};
	},
	confirm: async ({ request, locals }) => {
		const form = await request.formData();
		const result = await importSchools(getDb(), signedIn(locals), field(form, 'csv'), { district: field(form, 'district') });
		if (!result.ok) return failed(result, {}, 'file');
		const { added, updated, unchanged } = result.counts;
		redirectWithNotice('/schools', `Import complete: ${added} added, ${updated} updated, ${unchanged} unchanged.`);
	}
};

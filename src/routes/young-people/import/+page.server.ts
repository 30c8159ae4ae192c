import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	importYoungPeople,
	openYoungPeopleImport,
	previewYoungPeopleImport,
	YOUNG_PEOPLE_IMPORT_MAX_BYTES
} from '$lib/server/young-people/young-people.import';
import { readUpload } from '$lib/server/uploads';
import { invalidRows } from '$lib/server/result';
import { rawField } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { failed, signedIn } from '$lib/server/web/respond';
import { redirectWithNotice } from '$lib/server/web/notice';

export const load: PageServerLoad = async ({ locals }) => {
	await openYoungPeopleImport(getDb(), signedIn(locals));
};

export const actions: Actions = {
	preview: async ({ request, locals }) => {
		const actor = signedIn(locals);
		await openYoungPeopleImport(getDb(), actor);
		const form = await request.formData();
		const upload = await readUpload(form.get('file'), YOUNG_PEOPLE_IMPORT_MAX_BYTES, { sheet: rawField(form, 'sheet') });
		if ('problem' in upload) return fail(400, { errors: { file: upload.problem } });
		if ('problems' in upload) return failed(invalidRows(upload.problems), {}, 'file');
		const plan = await previewYoungPeopleImport(getDb(), actor, actor.schoolId ?? '', upload.text, new Date());
		if (!plan.ok) {
			// A workbook whose first sheet is not the list: offer its other sheets beside the file field.
			const failure = failed(plan, {}, 'file');
			return upload.format.kind === 'xlsx' && upload.format.sheets.length > 1
				? fail(failure.status, { ...failure.data, sheets: upload.format.sheets })
				: failure;
		}
		return {
			preview: plan.rows.map((r) => ({ row: r.row, firstName: r.firstName, lastName: r.lastName, yearGroup: r.yearGroup, outcome: r.outcome })),
			csv: upload.text,
			format: upload.format
		};
	},
	confirm: async ({ request, locals }) => {
		const actor = signedIn(locals);
		const csv = rawField(await request.formData(), 'csv');
		const result = await importYoungPeople(getDb(), actor, actor.schoolId ?? '', csv, new Date());
		if (!result.ok) return failed(result, {}, 'file');
		const { added, matched, restored } = result.counts;
		const restoredText = restored > 0 ? `, ${restored} restored from archive` : '';
		redirectWithNotice('/young-people', `Import complete: ${added} added${restoredText}, ${matched} already on the list.`);
	}
};

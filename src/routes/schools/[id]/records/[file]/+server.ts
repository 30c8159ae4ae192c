import { getDb } from '$lib/server/db';
import { fileResponse } from '$lib/server/exports/file';
import { notFound } from '$lib/server/result';
import { schoolRecordKinds, schoolRecordsDownload, type ExportFormat, type SchoolRecordKind } from '$lib/server/school-records/school-records.service';
import { idParam } from '$lib/server/web/route-params';
import { signedIn } from '$lib/server/web/respond';
import type { RequestHandler } from './$types';

/** A school's own records as a file: `young-people.csv`, `bookings.xlsx`, `attendance.csv` and so on. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const [, kind, format] = params.file.match(/^([a-z-]+)\.(csv|xlsx)$/) ?? [];
	if (!kind || !(schoolRecordKinds as readonly string[]).includes(kind)) notFound();
	const { file } = await schoolRecordsDownload(getDb(), signedIn(locals), idParam(params.id), kind as SchoolRecordKind, format as ExportFormat);
	return fileResponse(file);
};

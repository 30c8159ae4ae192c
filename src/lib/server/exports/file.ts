/**
 * A file to download as a service makes it (a CSV or XLSX export), and as a route sends it.
 *
 * API
 *   ExportFile = { fileName; contentType; body }: body is the CSV text or the workbook's bytes.
 *   fileResponse(file): Response
 *       An attachment under its name, so every browser saves it rather than showing it.
 */

export interface ExportFile {
	fileName: string;
	contentType: string;
	body: string | Uint8Array<ArrayBuffer>;
}

export function fileResponse(file: ExportFile): Response {
	return new Response(file.body, {
		headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.fileName}"` }
	});
}

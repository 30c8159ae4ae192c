/**
 * A file to download as a service makes it (a CSV or XLSX export), and as a route sends it.
 *
 * API
 *   ExportFile = { fileName; contentType; body }: body is the CSV text or the workbook's bytes.
 *   fileResponse(file): Response
 *       An attachment under its name, so every browser saves it rather than showing it, with
 *       its length in bytes.
 */

export interface ExportFile {
	fileName: string;
	contentType: string;
	body: string | Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

export function fileResponse(file: ExportFile): Response {
	// With its length: sent in one piece, and compressed in one call (web/compress.ts).
	const body = typeof file.body === 'string' ? encoder.encode(file.body) : file.body;
	return new Response(body, {
		headers: {
			'content-type': file.contentType,
			'content-length': String(body.byteLength),
			'content-disposition': `attachment; filename="${file.fileName}"`
		}
	});
}

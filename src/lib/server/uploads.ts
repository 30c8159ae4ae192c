/** The text of an uploaded file, or a message for the person who chose it. */
export async function readTextUpload(value: FormDataEntryValue | null, maxBytes: number): Promise<{ text: string } | { problem: string }> {
	if (!(value instanceof File) || value.size === 0 || value.name === '') return { problem: 'Select a CSV file' };
	if (value.size > maxBytes) return { problem: `The selected file must be smaller than ${Math.round(maxBytes / 1024 / 1024)} MB` };
	if (!/\.(csv|txt)$/i.test(value.name)) return { problem: 'The selected file must be a CSV' };
	const bytes = new Uint8Array(await value.arrayBuffer());
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
	} catch {
		// Spreadsheet programs on Windows save "CSV" in Windows-1252 unless told UTF-8.
		return { text: new TextDecoder('windows-1252').decode(bytes) };
	}
}

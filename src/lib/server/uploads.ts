import iconv from 'iconv-lite';
import { detectSeparator, separatorNames } from './csv';
import type { RowProblem } from './result';
import { readWorkbook } from './spreadsheet';

/** The encodings a school office's CSV comes in, as the import's preview names them. */
export type TextEncodingName = 'UTF-8' | 'UTF-16 LE' | 'UTF-16 BE' | 'Windows-1252';

/**
 * Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252: a file holding one was
 * written in some other encoding, and reading it as Windows-1252 would store a control character.
 */
const UNDEFINED_IN_WINDOWS_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * The text of a file as a spreadsheet program saved it, never guessing silently:
 * - a byte order mark says UTF-8, UTF-16 LE or UTF-16 BE;
 * - otherwise valid UTF-8 is UTF-8 (plain ASCII included);
 * - otherwise Windows-1252, what Excel on Windows writes for "CSV (Comma delimited)". Node's own
 *   TextDecoder('windows-1252') maps 0x80–0x9F to control characters (’ becomes U+0092, Š U+008A),
 *   so iconv-lite reads it, with the letters Windows means.
 * A file with NUL bytes and no UTF-16 mark is not text (a spreadsheet saved as .xls, a picture),
 * and a byte Windows-1252 leaves undefined fits none of the three: both are refused.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } | { problem: string } {
	const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return strictUtf8(buffer.subarray(3));
	if (buffer[0] === 0xff && buffer[1] === 0xfe) return utf16(buffer.subarray(2), 'utf16le', 'UTF-16 LE');
	if (buffer[0] === 0xfe && buffer[1] === 0xff) return utf16(buffer.subarray(2), 'utf16be', 'UTF-16 BE');
	if (buffer.includes(0)) return { problem: 'The selected file is not a text file: save it from your spreadsheet as "CSV UTF-8 (Comma delimited)"' };
	const utf8 = strictUtf8(buffer);
	if ('text' in utf8) return utf8;
	const undefinedByte = buffer.findIndex((byte) => UNDEFINED_IN_WINDOWS_1252.has(byte));
	if (undefinedByte >= 0) {
		return {
			problem: `The selected file is not in UTF-8, UTF-16 or Windows-1252 (line ${lineAt(buffer, undefinedByte)}): save it from your spreadsheet as "CSV UTF-8 (Comma delimited)"`
		};
	}
	return { text: iconv.decode(buffer, 'windows-1252'), encoding: 'Windows-1252' };
}

function strictUtf8(buffer: Buffer): { text: string; encoding: 'UTF-8' } | { problem: string } {
	try {
		return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buffer), encoding: 'UTF-8' };
	} catch {
		return { problem: 'The selected file says it is UTF-8 but is not: save it again from your spreadsheet as "CSV UTF-8 (Comma delimited)"' };
	}
}

function utf16(buffer: Buffer, encoding: 'utf16le' | 'utf16be', name: TextEncodingName): { text: string; encoding: TextEncodingName } | { problem: string } {
	if (buffer.length % 2 !== 0) return { problem: `The selected file says it is ${name} but ends half-way through a letter` };
	try {
		return { text: new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(buffer), encoding: name };
	} catch {
		return { problem: `The selected file says it is ${name} but is not` };
	}
}

/** The line (from 1) a byte of the file is on, to name where an unreadable byte is. */
function lineAt(buffer: Buffer, index: number): number {
	let line = 1;
	for (let i = 0; i < index; i++) if (buffer[i] === 0x0a) line++;
	return line;
}

/** How an upload was read, for the import's preview to say. */
export type UploadFormat = { kind: 'csv'; encoding: TextEncodingName; separator: string } | { kind: 'xlsx'; sheet: string; sheets: string[] };

/**
 * The text of an uploaded CSV file or Excel workbook (one sheet of it, as CSV), with how it was
 * read, or what is wrong with it: a message for the file field, or problems by row and column.
 */
export async function readUpload(
	value: FormDataEntryValue | null,
	maxBytes: number,
	options: { sheet?: string } = {}
): Promise<{ text: string; format: UploadFormat } | { problem: string } | { problems: RowProblem[] }> {
	if (!(value instanceof File) || value.size === 0 || value.name === '') return { problem: 'Select a CSV file or an Excel workbook' };
	if (value.size > maxBytes) return { problem: `The selected file must be smaller than ${Math.round(maxBytes / 1024 / 1024)} MB` };
	const bytes = new Uint8Array(await value.arrayBuffer());
	if (/\.xlsx$/i.test(value.name)) {
		const workbook = await readWorkbook(bytes, options.sheet || undefined);
		if (!('text' in workbook)) return workbook;
		return { text: workbook.text, format: { kind: 'xlsx', sheet: workbook.sheet, sheets: workbook.sheets } };
	}
	if (/\.xls$/i.test(value.name))
		return { problem: 'The selected file is an old Excel 97-2003 workbook (.xls): save it as an Excel workbook (.xlsx) or as CSV UTF-8' };
	if (!/\.(csv|txt|tsv)$/i.test(value.name)) return { problem: 'The selected file must be a CSV file or an Excel workbook (.xlsx)' };
	const decoded = decodeText(bytes);
	if (!('text' in decoded)) return decoded;
	return { text: decoded.text, format: { kind: 'csv', encoding: decoded.encoding, separator: separatorNames[detectSeparator(decoded.text)] } };
}

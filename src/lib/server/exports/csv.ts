/**
 * CSV export as RFC 4180 describes it, for Excel and LibreOffice users.
 *
 * API
 *   toCsv(table: ExportTable): string
 *       table = { header: readonly string[]; rows: readonly (readonly ExportValue[])[] }.
 *       Starts with a UTF-8 byte order mark, without which Excel reads accented names as
 *       Windows-1252; ends every record, the last too, with CRLF; quotes a field holding a comma,
 *       a double quote (doubled), CR or LF. Every text field, the header too, goes through
 *       escapeFormula; numbers stay numbers. Send it as CSV_CONTENT_TYPE.
 *   CSV_CONTENT_TYPE = 'text/csv; charset=utf-8'
 */
import { exportText, type ExportValue } from './formula';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BOM = '\uFEFF';

export interface ExportTable {
	header: readonly string[];
	rows: readonly (readonly ExportValue[])[];
}

function field(value: ExportValue): string {
	const text = exportText(value);
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: ExportTable): string {
	const records = [table.header, ...table.rows].map((record) => record.map(field).join(',') + '\r\n');
	return BOM + records.join('');
}

/**
 * Formula escaping for every spreadsheet export (CSV and XLSX), so a name or note typed as
 * `=HYPERLINK(...)` is shown as text rather than run when the file is opened.
 *
 * API
 *   type ExportValue = string | number | null | undefined
 *       A number is written as a number (a negative one too: it is not text, so nothing to
 *       escape). null, undefined, NaN and ±Infinity are written as an empty cell. Pass counts as
 *       numbers: the string '-5' is text and comes out as '-5 with its quote.
 *   escapeFormula(text: string): string
 *       Text beginning with =, +, -, @, tab or carriage return gets a single quote in front
 *       (OWASP's advice for CSV injection); anything else is returned as it is.
 *   exportText(value: ExportValue): string
 *       A value as the text of a CSV field, escaped: numbers as JavaScript prints them, empty
 *       for null, undefined and non-finite numbers.
 */

export type ExportValue = string | number | null | undefined;

// Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula or command.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A number that can be written as one; NaN (a rate over 0 places) and infinities cannot. */
export const isWritableNumber = (value: ExportValue): value is number => typeof value === 'number' && Number.isFinite(value);

export function exportText(value: ExportValue): string {
	if (typeof value === 'number') return Number.isFinite(value) ? String(value === 0 ? 0 : value) : '';
	return value == null ? '' : escapeFormula(value);
}

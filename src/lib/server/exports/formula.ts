/**
 * Formula escaping for every spreadsheet export (CSV and XLSX), so a name or note typed as
 * `=HYPERLINK(...)` is shown as text rather than run when the file is opened.
 *
 * API
 *   type ExportValue = string | number | ExportDay | null | undefined
 *       A day ({ day: 'YYYY-MM-DD' }, already a UK date) is written as people read it: "20 Nov
 *       2018" in a CSV, a real date cell shown that way in an XLSX (so it sorts and filters as a
 *       date, with no time and no time zone). A number is written as a number (a negative one too: it is not text, so nothing to
 *       escape). null, undefined, NaN and ±Infinity are written as an empty cell. Pass counts as
 *       numbers: the string '-5' is text and comes out as '-5 with its quote.
 *   escapeFormula(text: string): string
 *       Text beginning with =, +, -, @, tab or carriage return gets a single quote in front
 *       (OWASP's advice for CSV injection); anything else is returned as it is.
 *   exportText(value: ExportValue): string
 *       A value as the text of a CSV field, escaped: numbers as JavaScript prints them, empty
 *       for null, undefined and non-finite numbers.
 */

export interface ExportDay {
	day: string;
}

export type ExportValue = string | number | ExportDay | null | undefined;

export const isExportDay = (value: ExportValue): value is ExportDay => typeof value === 'object' && value !== null && 'day' in value;

const shortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "20 Nov 2018" for 2018-11-20. */
export const dayText = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`));

// Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula or command.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A number that can be written as one; NaN (a rate over 0 places) and infinities cannot. */
export const isWritableNumber = (value: ExportValue): value is number => typeof value === 'number' && Number.isFinite(value);

export function exportText(value: ExportValue): string {
	if (typeof value === 'number') return Number.isFinite(value) ? String(value === 0 ? 0 : value) : '';
	if (isExportDay(value)) return dayText(value.day);
	return value == null ? '' : escapeFormula(value);
}

// Markup written as one string, for {@html}, where a Svelte template's machinery costs more
// than the markup itself: a county's report pages (600 schools) rendered on every request. In
// Svelte's server output each element of a loop is a push of its own with its own escape,
// each loop leaves hydration markers, and each <option> of a <select> is rendered by a child
// renderer to compare its value with the select's. Every value written here is escaped.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** The text with the characters that mean something in HTML (in an element or a quoted attribute) written as entities. */
export function escapeHtml(text: string): string {
	return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]!) : text;
}

/**
 * The page's <title> element for `text`, followed by the service's name: escaped, with every
 * character outside Latin-1 written as a numeric character reference (the dash before the name
 * as `&ndash;`). A browser reads it as the same title. V8 holds a string in one byte a
 * character only while every character in it is Latin-1: one dash in a page's <title> made the
 * whole rendered page twice its size in memory, and slower to encode to UTF-8 (the district
 * overview, 28 KB, on every request; issue 15).
 */
export function titleHtml(text: string): string {
	// Character by character: a replace() on a title held in two bytes a character (any with a
	// dash in it) answers in two bytes too, whatever it replaced. V8 holds each single character
	// up to U+00FF in one byte.
	let safe = '';
	for (const c of escapeHtml(text)) {
		const code = c.codePointAt(0)!;
		safe += code > 0xff ? `&#${code};` : c;
	}
	return `<title>${safe} &ndash; Youth Programmes Tracker</title>`;
}

/** A select's options, the one whose value is `value` selected (none if no option has it). */
export function optionsHtml(options: readonly { value: string; label: string }[], value: string): string {
	let html = '';
	for (const option of options) {
		html += `<option value="${escapeHtml(option.value)}"${option.value === value ? ' selected' : ''}>${escapeHtml(option.label)}</option>`;
	}
	return html;
}

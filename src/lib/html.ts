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

/** A select's options, the one whose value is `value` selected (none if no option has it). */
export function optionsHtml(options: readonly { value: string; label: string }[], value: string): string {
	let html = '';
	for (const option of options) {
		html += `<option value="${escapeHtml(option.value)}"${option.value === value ? ' selected' : ''}>${escapeHtml(option.label)}</option>`;
	}
	return html;
}

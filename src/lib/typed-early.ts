/**
 * What a person typed into a form before the page's scripts started, kept when they start.
 *
 * On a slow connection a page's form shows, and can be filled in, before its scripts arrive.
 * When they do, Svelte adopts the server's HTML and sets each field to the value it was rendered
 * with: the places typed into a booking, a name on an invitation, the radios chosen on a young
 * person's form all went back to what the server sent, and the form was refused as empty when
 * sent. Fields keep following the page's data afterwards (a filter cleared by a link clears
 * its box), so this guards only the moment the scripts take the page over.
 *
 * Call `noteTypedEarly` before the page is adopted (the root layout's script runs first), and
 * the function it returns once the page is (the layout's `onMount`).
 */

import { tick } from 'svelte';

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
type Typed = { field: Field; value: string; checked: boolean; selected: boolean[] };

const notTyped = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image']);

/** Notes every field whose value differs from what the page was sent with; returns a function that puts those values back. */
export function noteTypedEarly(): () => Promise<void> {
	const typed: Typed[] = [];
	for (const field of document.querySelectorAll<Field>('input, textarea, select')) {
		if (field instanceof HTMLInputElement && notTyped.has(field.type)) continue;
		if (changedByPerson(field)) {
			typed.push({
				field,
				value: field.value,
				checked: field instanceof HTMLInputElement && field.checked,
				selected: field instanceof HTMLSelectElement ? [...field.options].map((o) => o.selected) : []
			});
		}
	}
	return async () => {
		for (const entry of typed) putBack(entry, true);
		// A choice put back can show fields the page had put away as it started (a report's period
		// shows its quarter): once the page has followed it, those get what was typed into them.
		await tick();
		for (const entry of typed) putBack(entry, false);
	};
}

function changedByPerson(field: Field): boolean {
	if (field instanceof HTMLSelectElement) return [...field.options].some((o) => o.selected !== o.defaultSelected);
	if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) return field.checked !== field.defaultChecked;
	return field.value !== field.defaultValue;
}

/**
 * Puts a field's noted value back and tells the page it changed. `started` is the first pass,
 * as the page starts: its state then holds what the server sent even where a field kept what was
 * typed (a list keeps its choice), so the page is told of every noted field, put back or not.
 */
function putBack({ field: noted, value, checked, selected }: Typed, started: boolean): void {
	// Svelte adopts the page's own elements; were one drawn again, its namesake is the field now.
	const field = noted.isConnected ? noted : noted.id ? (document.getElementById(noted.id) as Field | null) : null;
	if (!field || field.tagName !== noted.tagName) return;
	let changed: boolean;
	if (field instanceof HTMLSelectElement) {
		if (field.options.length !== selected.length) return;
		changed = [...field.options].some((o, i) => o.selected !== selected[i]);
		if (changed) for (const [i, option] of [...field.options].entries()) option.selected = selected[i]!;
	} else if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
		changed = field.checked !== checked;
		if (changed) field.checked = checked;
		// A radio's group changes once, to the radio chosen (put back in its turn), not to each one left.
		if (field.type === 'radio' && !checked) return;
	} else {
		changed = field.value !== value;
		// Only where it differs: setting a box's value moves its cursor to the end.
		if (changed) field.value = value;
	}
	if (!changed && !started) return;
	// What the page does as a field changes (a choice that shows more questions) follows it.
	field.dispatchEvent(new Event('input', { bubbles: true }));
	field.dispatchEvent(new Event('change', { bubbles: true }));
}

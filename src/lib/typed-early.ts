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

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
type Typed = { field: Field; id: string; value: string; checked: boolean; selected: boolean[] };

const notTyped = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image']);

/** Notes every field whose value differs from what the page was sent with; returns a function that puts those values back. */
export function noteTypedEarly(root: ParentNode = document): () => void {
	const typed: Typed[] = [];
	for (const field of root.querySelectorAll<Field>('input, textarea, select')) {
		if (field instanceof HTMLInputElement && notTyped.has(field.type)) continue;
		if (changedByPerson(field)) {
			typed.push({
				field,
				id: field.id,
				value: field.value,
				checked: field instanceof HTMLInputElement && field.checked,
				selected: field instanceof HTMLSelectElement ? [...field.options].map((o) => o.selected) : []
			});
		}
	}
	return () => {
		for (const entry of typed) putBack(entry);
	};
}

function changedByPerson(field: Field): boolean {
	if (field instanceof HTMLSelectElement) return [...field.options].some((o) => o.selected !== o.defaultSelected);
	if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) return field.checked !== field.defaultChecked;
	return field.value !== field.defaultValue;
}

function putBack({ field: noted, id, value, checked, selected }: Typed): void {
	// Svelte adopts the page's own elements; were one drawn again, its namesake is the field now.
	const field = noted.isConnected ? noted : id ? (document.getElementById(id) as Field | null) : null;
	if (!field || field.tagName !== noted.tagName) return;
	if (field instanceof HTMLSelectElement) {
		if (field.options.length !== selected.length || [...field.options].every((o, i) => o.selected === selected[i])) return;
		for (const [i, option] of [...field.options].entries()) option.selected = selected[i]!;
	} else if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
		if (field.checked === checked) return;
		field.checked = checked;
	} else {
		if (field.value === value) return;
		field.value = value;
	}
	// What the page does as a field changes (a choice that shows more questions) follows it.
	field.dispatchEvent(new Event('input', { bubbles: true }));
	field.dispatchEvent(new Event('change', { bubbles: true }));
}

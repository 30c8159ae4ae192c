import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ConfirmAction from '../../../src/lib/components/ConfirmAction.svelte';
import Pagination from '../../../src/lib/components/Pagination.svelte';

// Words for screen readers only ("Change details<span class="govuk-visually-hidden"> of Astor
// College</span>") need the space at the start of the hidden span, or at its end where the words
// follow it ("signed in as </span>(Partnership admin)"). Svelte 5 removes whitespace at the start
// and end of an element's content, so a space written there never reaches the page: the link's
// text read "Change detailsof Astor College". Written as `{' '}`, it is kept.

/** A hidden span whose words, on one line, start or end with a space written as text. */
const droppedSpace = /class="govuk-visually-hidden">(\s|[^<]*\s<\/span>)/;

const textOf = (html: string) => html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, '');

describe('words for screen readers only', () => {
	it('are apart from the words beside them on the rendered page', () => {
		const { body } = render(Pagination, { props: { page: 2, pageCount: 3 } });
		const text = textOf(body).replace(/\s+/g, ' ');
		expect(text).toContain('Previous page');
		expect(text).toContain('Next page');
		const confirm = render(ConfirmAction, {
			props: { title: 'Archive', consequences: [], warning: 'This cannot be undone.', action: '?/archive', confirmLabel: 'Archive', backHref: '/' }
		});
		expect(textOf(confirm.body)).toContain('Warning This cannot be undone.');
	});

	it('never start or end with a space Svelte would drop, in any component or page', () => {
		const root = join(import.meta.dirname, '../../../src');
		const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.svelte'));
		expect(files.length).toBeGreaterThan(50);
		const dropped = files.flatMap((file) =>
			readFileSync(join(root, file), 'utf8')
				.split('\n')
				.flatMap((line, i) => (droppedSpace.test(line) ? [`${file}:${i + 1}`] : []))
		);
		expect(dropped).toEqual([]);
	});
});

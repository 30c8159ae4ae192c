import { describe, expect, it } from 'vitest';
import { escapeHtml, optionsHtml, titleHtml } from '../../../src/lib/html';
import { chartRowsHtml, reportRowsHtml } from '../../../src/lib/report-rows';

// The report tables' rows and a select's options are written as one string of HTML (html.ts):
// every value in them comes from someone's typing (a school's name, town, a report's address)
// and must arrive as text, never as markup.
const hostile = `Szkoła <script>alert(1)</script> & "St Mary's"`;
const escaped = 'Szkoła &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;St Mary&#39;s&quot;';

describe('escapeHtml', () => {
	it('writes the characters that mean something in HTML as entities, and leaves the rest', () => {
		expect(escapeHtml(hostile)).toBe(escaped);
		expect(escapeHtml('Deal')).toBe('Deal');
		expect(escapeHtml('')).toBe('');
		expect(escapeHtml('&amp;')).toBe('&amp;amp;');
	});
});

describe('titleHtml', () => {
	it('writes the title escaped, then the service, with every character beyond Latin-1 as a reference', () => {
		expect(titleHtml('District overview – Reports')).toBe('<title>District overview &#8211; Reports &ndash; Youth Programmes Tracker</title>');
		expect(titleHtml(hostile)).toBe(
			`<title>Szko&#322;a &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;St Mary&#39;s&quot; &ndash; Youth Programmes Tracker</title>`
		);
		// Latin-1 letters are written as themselves; a character beyond the BMP as one reference, not two halves.
		expect(titleHtml('Zoë 🙂')).toBe('<title>Zoë &#128578; &ndash; Youth Programmes Tracker</title>');
	});

	it('answers a string held in one byte a character, even for a title that is not', () => {
		// V8 holds a string in two bytes a character when any character is beyond Latin-1; the
		// difference shows as heap used for the same characters. One flattened 2-million-character
		// page with the title at its head.
		const body = 'x'.repeat(2_000_000);
		const heapFor = (title: string) => {
			const before = process.memoryUsage().heapUsed;
			const page = titleHtml(title) + body;
			// Flattened by a search that must read to the end.
			expect(page.indexOf('y')).toBe(-1);
			return process.memoryUsage().heapUsed - before;
		};
		expect(heapFor('District overview – Reports')).toBeLessThan(3_000_000);
	});
});

describe('optionsHtml', () => {
	const options = [
		{ value: 'a1', label: 'Astor College' },
		{ value: 'b"2', label: hostile }
	];

	it('selects the option with the value, and only it', () => {
		expect(optionsHtml(options, 'a1')).toBe(`<option value="a1" selected>Astor College</option><option value="b&quot;2">${escaped}</option>`);
	});

	it('selects none when no option has the value, and escapes values and labels', () => {
		expect(optionsHtml(options, 'nothing')).toBe(`<option value="a1">Astor College</option><option value="b&quot;2">${escaped}</option>`);
		expect(optionsHtml(options, 'b"2')).toContain('<option value="b&quot;2" selected>');
	});

	it('writes nothing for no options', () => {
		expect(optionsHtml([], '')).toBe('');
	});
});

describe('reportRowsHtml', () => {
	const columns = [
		{ measure: 'attended', label: 'Attended', people: true },
		{ measure: 'attendanceRate', label: 'Attendance rate', people: true }
	];

	it('writes each row as its heading, its words, then its figures in the columns’ order', () => {
		const html = reportRowsHtml(
			[
				{
					name: hostile,
					href: '/reports/schools/1?period=financial&year=2024',
					text: { phase: 'primary', town: '<b>Deal</b>' },
					cells: { attendanceRate: { text: '90%', value: 90 }, attended: { text: 'c', value: null } }
				},
				{ name: 'All schools', cells: { attended: { text: '1,376', value: 1376 } } }
			],
			columns,
			[{ key: 'phase' }, { key: 'town' }]
		);
		expect(html).toBe(
			`<tr><th scope="row"><a class="govuk-link" href="/reports/schools/1?period=financial&amp;year=2024">${escaped}</a></th>` +
				'<td>primary</td><td>&lt;b&gt;Deal&lt;/b&gt;</td><td>c</td><td>90%</td></tr>' +
				// No address, no words: a plain heading, empty cells where there is nothing.
				'<tr><th scope="row">All schools</th><td></td><td></td><td>1,376</td><td></td></tr>'
		);
		expect(html).not.toContain('<script');
	});

	it('writes nothing for no rows', () => {
		expect(reportRowsHtml([], columns, [])).toBe('');
	});
});

describe('chartRowsHtml', () => {
	it('writes each label with every series’ figure for it', () => {
		const series = [
			{
				cells: [
					{ text: '796', value: 796 },
					{ text: 'c', value: null }
				]
			},
			{ cells: [{ text: '641', value: 641 }] }
		];
		expect(chartRowsHtml(['County School 001', hostile], series)).toBe(
			'<tr><th scope="row">County School 001</th><td>796</td><td>641</td></tr>' + `<tr><th scope="row">${escaped}</th><td>c</td><td></td></tr>`
		);
	});
});

// The one script of the report pages with charts (the district overview, the trend by quarter
// and by school), which are rendered on the server only (csr = false in their +page.server.ts):
// hydrating them cost 53 KB of SvelteKit's runtime and the app's shared code gzipped, on top of
// Chart.js, for pages whose choices are a GET form and links. Each page loads it with
// `?worker&url`, which has Vite bundle it, with the parts of Chart.js registered in chart.ts,
// into a single file under /_app/immutable (same origin, as the Content Security Policy asks).
//
// It does what hydration did on those pages: draws each chart from the figures its template
// carries (ReportChart) and closes the table beside it, shows only the period fields of the
// kind of period chosen (ReportFilter) and gives the error summary focus (ErrorSummary).
import { chartHeight, drawChart, type ChartSpec } from './chart';
import { periodFields } from '../reports';

const charts: ReturnType<typeof drawChart>[] = [];
for (const template of document.querySelectorAll<HTMLTemplateElement>('template.app-chart__drawn')) {
	const spec = JSON.parse(template.dataset.chart ?? '') as ChartSpec;
	const drawn = template.content.cloneNode(true) as DocumentFragment;
	const box = drawn.querySelector<HTMLElement>('.app-chart__box');
	const canvas = drawn.querySelector('canvas');
	const table = template.parentElement?.querySelector('details');
	template.replaceWith(drawn);
	if (!box || !canvas) continue;
	// Set through the style object, which the Content Security Policy allows, not a style attribute.
	box.style.height = `${chartHeight(spec)}px`;
	charts.push(drawChart(canvas, spec));
	if (table) table.open = false;
}
// Printed, a chart's box may be smaller (no taller than the sheet: app.scss); Chart.js does not
// notice a size that only print gives, so each is redrawn to the box as printing starts and ends.
for (const moment of ['beforeprint', 'afterprint']) addEventListener(moment, () => charts.forEach((chart) => chart.resize()));

// Without JavaScript every period field the reader may use is shown, and those the chosen kind
// does not use are ignored; here a field that does not apply is taken out of the form (not only
// hidden) and put back in its place when its kind is chosen.
const filter = document.querySelector<HTMLFormElement>('form.app-report-filter');
const period = filter?.elements.namedItem('period');
if (filter && period instanceof HTMLSelectElement) {
	const fields = Object.entries(periodFields).flatMap(([name, kinds]) => {
		const group = filter.elements.namedItem(name);
		const field = group instanceof HTMLElement ? group.closest('.govuk-form-group') : null;
		if (!field) return [];
		const place = document.createComment(name);
		field.before(place);
		return [{ field, place, kinds: kinds as readonly string[] }];
	});
	const show = () => {
		for (const { field, place, kinds } of fields) {
			if (kinds.includes(period.value)) place.after(field);
			else field.remove();
		}
	};
	show();
	period.addEventListener('change', show);
}

// The GOV.UK error summary takes focus when it appears, as on every other page.
document.querySelector<HTMLElement>('.govuk-error-summary')?.focus();

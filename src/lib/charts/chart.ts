// Chart.js with only the pieces the report charts use. Bundled, with nothing else but
// report-page.ts, into the one script the report pages with charts load: those pages are
// rendered on the server only, so no other page downloads it and they download nothing else.
//
// Neither Chart.js's legend nor its tooltip is registered: the key is drawn in the page
// (ReportChart), as text anyone can read and zoom, and every figure is in the table under the
// chart, which a hover box over a canvas never was for a keyboard or a screen reader. The two
// were 7.4 KB gzipped of every chart page (58 KB of Chart.js with them, 50.5 KB without).
// Registering bar and line pieces in separate modules saves nothing: Chart.js ships as one
// module, so the bundler puts whatever any page uses into one chunk.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, type ChartConfiguration } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale);

Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
Chart.defaults.font.size = 14;
Chart.defaults.color = '#0b0c0c';

// GOV.UK blue, dark grey and green: each at least 3:1 against white (WCAG 1.4.11), and told
// apart by lightness and, on lines, by the shape of their points, not by hue alone. The key in
// ReportChart uses the same colours and shapes, in this order (app-chart__key--0, 1, 2).
export const CHART_COLOURS = ['#1d70b8', '#505a5f', '#00703c'];
const points = ['circle', 'rect', 'triangle'] as const;

export interface ChartSpec {
	kind: 'bar' | 'line';
	labels: string[];
	/** Null values are hidden or not applicable: drawn as a gap, never as 0. */
	series: { label: string; values: (number | null)[] }[];
	/** Bars run across the page, one category a line: for long lists such as schools. */
	horizontal?: boolean;
	/** Values are percentages. */
	percent?: boolean;
}

/** The height of a chart's box, in pixels: a horizontal bar chart grows with its categories. */
export function chartHeight(spec: Pick<ChartSpec, 'horizontal' | 'labels'>): number {
	return spec.horizontal ? Math.max(200, spec.labels.length * 28 + 90) : 340;
}

export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): Chart {
	const valueAxis = spec.horizontal ? 'x' : 'y';
	const tick = spec.percent ? (value: string | number) => `${value}%` : undefined;
	const config: ChartConfiguration<'bar' | 'line', (number | null)[], string> = {
		type: spec.kind,
		data: {
			// Fresh arrays: Chart.js watches and alters the arrays it is given.
			labels: [...spec.labels],
			datasets: spec.series.map((s, i) => ({
				label: s.label,
				data: [...s.values],
				backgroundColor: CHART_COLOURS[i % CHART_COLOURS.length],
				borderColor: CHART_COLOURS[i % CHART_COLOURS.length],
				pointStyle: points[i % points.length],
				pointRadius: 4,
				spanGaps: false
			}))
		},
		options: {
			indexAxis: spec.horizontal ? 'y' : 'x',
			responsive: true,
			maintainAspectRatio: false,
			// Drawn at once: no motion to switch off for those who ask for less, and nothing to wait for.
			animation: false,
			// Nothing answers a pointer (no tooltip is registered): no need to listen for it.
			events: [],
			scales: {
				[valueAxis]: { beginAtZero: true, ticks: tick ? { callback: tick } : {} }
			}
		}
	};
	return new Chart(canvas, config);
}

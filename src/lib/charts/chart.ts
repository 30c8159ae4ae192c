// Chart.js with only the pieces the report charts use, so the lazily loaded chunk stays small.
// Imported with `await import(...)` from ReportChart once a report page is in the browser:
// no other page downloads it.
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	Tooltip,
	type ChartConfiguration
} from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
Chart.defaults.font.size = 14;
Chart.defaults.color = '#0b0c0c';

// GOV.UK blue, dark grey and green: each at least 3:1 against white (WCAG 1.4.11), and told
// apart by lightness and, on lines, by the shape of their points, not by hue alone.
const colours = ['#1d70b8', '#505a5f', '#00703c'];
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
				backgroundColor: colours[i % colours.length],
				borderColor: colours[i % colours.length],
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
			scales: {
				[valueAxis]: { beginAtZero: true, ticks: tick ? { callback: tick } : {} }
			},
			// The key above the bars, where a reader starts: on a long list of schools the bottom is far away.
			plugins: { legend: { display: spec.series.length > 1, position: 'top', align: 'start' } }
		}
	};
	return new Chart(canvas, config);
}

import type { ShownCell } from '$lib/reports';

// The words a screen reader hears for a chart (its canvas's aria-label): what it shows and
// the figures worth knowing, with the full figures in the table beside it.

export interface ChartSeries {
	label: string;
	cells: ShownCell[];
}

/** Up to this many categories are read out one by one; beyond it, the highest and lowest. */
const LIST_LIMIT = 8;

export function hiddenCount(series: readonly ChartSeries[]): number {
	return series.reduce((n, s) => n + s.cells.filter((c) => c.text === 'c').length, 0);
}

export function describeChart(title: string, labels: readonly string[], series: readonly ChartSeries[]): string {
	const parts = series.map((s) => {
		const shown = s.cells.flatMap((cell, i) => (cell.value === null ? [] : [{ label: labels[i] ?? '', text: cell.text, value: cell.value }]));
		if (shown.length === 0) return `${s.label}: no figures to draw`;
		if (labels.length <= LIST_LIMIT) return `${s.label}: ${shown.map((p) => `${p.label} ${p.text}`).join(', ')}`;
		const high = shown.reduce((a, b) => (b.value > a.value ? b : a));
		const low = shown.reduce((a, b) => (b.value < a.value ? b : a));
		return `${s.label}: highest ${high.label} (${high.text}), lowest ${low.label} (${low.text})`;
	});
	const hidden = hiddenCount(series);
	const gaps = hidden === 0 ? '' : ` ${hidden === 1 ? '1 figure is' : `${hidden} figures are`} hidden to protect small numbers and left out.`;
	return `${title}. ${parts.join('. ')}.${gaps} All the figures are in the table that follows.`;
}

import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ReportFilter from '../../../src/lib/components/ReportFilter.svelte';

// The line every report page shows under its choices: when the figures were counted, and a
// warning when counting them again has failed since (rollups.ts retries it).

const filter = {
	values: { period: 'financial', year: '2019', quarter: '', from: '', to: '', programme: '', school: '', phase: '', town: '' },
	errors: {},
	fields: [] as const,
	programmes: [],
	schools: []
};
const period = { label: 'Financial year 2019 to 2020', from: '2019-04-01', to: '2020-03-31' };
const text = (html: string) =>
	html
		// Svelte marks its blocks with comments, which are not text.
		.replace(/<!--.*?-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();

describe('ReportFilter', () => {
	it('says when the figures were counted, with no warning while counting them works', () => {
		const { body } = render(ReportFilter, { props: { filter, period, asOf: { countedAt: '2026-12-02T13:50:00Z', failedAt: null } } });
		expect(text(body)).toContain('Figures as counted at 2 Dec 2026, 13:50; they are counted again shortly after each change.');
		expect(body).not.toContain('govuk-warning-text');
	});

	it('warns that the figures could not be counted again, and from when they are', () => {
		const { body } = render(ReportFilter, {
			props: { filter, period, asOf: { countedAt: '2026-12-02T13:50:00Z', failedAt: '2026-12-02T14:05:00Z' } }
		});
		expect(body).toContain('govuk-warning-text');
		expect(text(body)).toContain(
			'Warning The figures could not be recounted at 2 Dec 2026, 14:05; they are as counted at 2 Dec 2026, 13:50. The service will try again.'
		);
	});
});

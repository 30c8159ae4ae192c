import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from '../../../src/lib/server/web/redirects';

describe('safeRedirectTarget', () => {
	it('keeps a path on this site, with its query and fragment', () => {
		expect(safeRedirectTarget('/reports/schools?period=academic&year=2018#table')).toBe('/reports/schools?period=academic&year=2018#table');
		expect(safeRedirectTarget('/young-people')).toBe('/young-people');
	});

	it('sends every way of naming another site to the dashboard', () => {
		const attacks = [
			'//evil.example',
			'/\t/evil.example',
			'/\n/evil.example',
			'/\r\n/evil.example',
			'/\\evil.example',
			'/\\/evil.example',
			'/%5C/evil.example'.replace('%5C', '\\'),
			'https://evil.example',
			'http:/evil.example',
			'evil.example',
			'javascript:alert(1)',
			'/\u0000/evil.example',
			'/\u007f/evil.example',
			' /evil',
			''
		];
		for (const attack of attacks) expect(safeRedirectTarget(attack), JSON.stringify(attack)).toBe('/dashboard');
		expect(safeRedirectTarget(null)).toBe('/dashboard');
	});

	it('gives a path that stays on this site even after dot segments', () => {
		expect(safeRedirectTarget('/a/../../evil.example')).toBe('/evil.example');
	});
});

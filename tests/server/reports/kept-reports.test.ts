import { afterEach, describe, expect, it } from 'vitest';
import { figuresRebuilt, figuresRefreshedAt, keptPage, keptReport } from '../../../src/lib/server/reports/kept';
import { refreshRollups, startRollupSchedule, stopRollupSchedule } from '../../../src/lib/server/reports/rollups';
import { useTestDatabase } from '../../support/database';

const t = useTestDatabase();

afterEach(async () => {
	await stopRollupSchedule();
});

describe('reports kept between rebuilds', () => {
	it('computes every time outside the app server', async () => {
		let calls = 0;
		await keptReport(t.db, 'k', async () => ++calls);
		await keptReport(t.db, 'k', async () => ++calls);
		expect(calls).toBe(2);
	});

	it('answers from the kept report until the figures are rebuilt, then computes again', async () => {
		await refreshRollups(t.db);
		startRollupSchedule(() => t.db);
		let calls = 0;
		const ask = (key: string) => keptReport(t.db, key, async () => ++calls);
		expect(await ask('overview 2018')).toBe(1);
		expect(await ask('overview 2018')).toBe(1);
		expect(await ask('overview 2019')).toBe(2);
		// A rebuild a moment later gives a new time, so every kept report is computed anew.
		await new Promise((r) => setTimeout(r, 5));
		await refreshRollups(t.db);
		expect(await ask('overview 2018')).toBe(3);
		expect(await ask('overview 2018')).toBe(3);
	});

	it('drops every kept report when this process rebuilds the figures, whatever time the rebuild gives', async () => {
		await refreshRollups(t.db);
		startRollupSchedule(() => t.db);
		let calls = 0;
		const ask = () => keptReport(t.db, 'overview 2018', async () => ++calls);
		expect(await ask()).toBe(1);
		expect(await ask()).toBe(1);
		// Told of a rebuild at the very time already known: nothing kept survives it all the same.
		figuresRebuilt(await figuresRefreshedAt(t.db));
		expect(await ask()).toBe(2);
	});

	it('keeps a page that was sent successfully, never a refusal, and renders again after a rebuild', async () => {
		await refreshRollups(t.db);
		startRollupSchedule(() => t.db);
		let renders = 0;
		const page = (status: number) => async () => new Response(`page ${++renders}`, { status, headers: { 'content-type': 'text/html' } });
		expect(await (await keptPage(t.db, 'reader /reports', page(200))).text()).toBe('page 1');
		expect(await (await keptPage(t.db, 'reader /reports', page(200))).text()).toBe('page 1');
		expect((await keptPage(t.db, 'reader /reports/schools/x', page(404))).status).toBe(404);
		expect((await keptPage(t.db, 'reader /reports/schools/x', page(404))).status).toBe(404);
		expect(renders).toBe(3);
		await new Promise((r) => setTimeout(r, 5));
		await refreshRollups(t.db);
		expect(await (await keptPage(t.db, 'reader /reports', page(200))).text()).toBe('page 4');
	});
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { figuresRebuilt, figuresRefreshedAt, KEPT_BYTES, keptChoices, keptPage, keptReport } from '../../../src/lib/server/reports/kept';
import { reportOptions } from '../../../src/lib/server/reports/report-page';
import { figuresCounted } from '../../../src/lib/server/reports/rollups';
import { updateSchool } from '../../../src/lib/server/schools/schools.service';
import { makeActor, makeSchool } from '../../support/factories';
import { refreshRollups, startRollupSchedule, stopRollupSchedule } from '../../../src/lib/server/reports/rollups';
import { useTestDatabase } from '../../support/database';

const t = useTestDatabase();

afterEach(async () => {
	await stopRollupSchedule();
	vi.unstubAllEnvs();
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

	it('keeps pages and answers up to KEPT_BYTES, dropping the oldest first, and never one larger than that', async () => {
		await refreshRollups(t.db);
		startRollupSchedule(() => t.db);
		const renders: string[] = [];
		const page = (name: string, bytes: number) => async () => {
			renders.push(name);
			return new Response(new Uint8Array(bytes), { status: 200, headers: { 'content-type': 'text/html' } });
		};
		const large = Math.ceil(KEPT_BYTES * 0.4);
		const ask = async (name: string, bytes = large) => (await keptPage(t.db, `reader ${name}`, page(name, bytes))).arrayBuffer();
		await ask('a');
		await ask('b');
		await ask('c');
		// A third 40% page makes more than the limit: a, kept first, went.
		expect(renders).toEqual(['a', 'b', 'c']);
		await ask('c');
		await ask('b');
		expect(renders).toEqual(['a', 'b', 'c']);
		await ask('a');
		await ask('c');
		expect(renders).toEqual(['a', 'b', 'c', 'a']);
		// Kept with its full size: a page larger than the limit is rendered every time, and drops nothing.
		expect((await ask('huge', KEPT_BYTES + 1)).byteLength).toBe(KEPT_BYTES + 1);
		await ask('huge', KEPT_BYTES + 1);
		await ask('c');
		await ask('a');
		expect(renders).toEqual(['a', 'b', 'c', 'a', 'huge', 'huge']);
		// Answers count by their JSON: one as large as the limit pushes every page out.
		let computed = 0;
		const answer = async () => {
			computed++;
			return { text: 'x'.repeat(KEPT_BYTES - 100) };
		};
		await keptReport(t.db, 'answer', answer);
		await keptReport(t.db, 'answer', answer);
		expect(computed).toBe(1);
		await ask('c');
		expect(renders).toEqual(['a', 'b', 'c', 'a', 'huge', 'huge', 'c']);
	});

	it("shares the filters' choices with kept reports switched off, and reads them again when a school changes name or phase", async () => {
		vi.stubEnv('REPORT_KEEP', 'off');
		let reads = 0;
		const choices = () => keptChoices(t.db, 'options', async () => ++reads);
		// Outside the app server, read every time.
		await choices();
		await choices();
		expect(reads).toBe(2);

		const admin = await makeActor(t.db, { role: 'admin' });
		const school = await makeSchool(t.db, { name: 'Whitfield Aspen School' });
		await refreshRollups(t.db);
		startRollupSchedule(() => t.db);
		let computed = 0;
		await keptReport(t.db, 'overview', async () => ++computed);
		await keptReport(t.db, 'overview', async () => ++computed);
		expect(computed).toBe(2);
		expect(await choices()).toBe(3);
		expect(await choices()).toBe(3);

		const named = async () => (await reportOptions(t.db, admin)).schools!.find((s) => s.id === school.id)?.name;
		expect(await named()).toBe('Whitfield Aspen School');
		// The overview counts each phase's schools from the choices: they follow a school's new phase too.
		const phases = async () => (await reportOptions(t.db, admin, false)).schoolsByPhase;
		expect(await phases()).toEqual([{ phase: 'secondary', schools: 1 }]);
		const renamed = await updateSchool(t.db, admin, school.id, { name: 'Whitfield Aspen Primary', urn: '', phase: 'primary', town: 'Dover' });
		expect(renamed.ok).toBe(true);
		await figuresCounted();
		expect(await named()).toBe('Whitfield Aspen Primary');
		expect(await phases()).toEqual([{ phase: 'primary', schools: 1 }]);
		expect(await choices()).toBe(4);
	});
});

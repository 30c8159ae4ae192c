import { describe, expect, it } from 'vitest';
import { gcPauseOf } from '../../../src/cli/bench/app-server';

// Lines as Node 20's V8 prints them with --trace-gc (seen on the county benchmark's server).
describe("reading the garbage collector's pauses from --trace-gc", () => {
	it('reads a scavenge: its pause, not its sizes or its parallel threads', () => {
		const line = '[8925:0x3ea2ddd0]    29018 ms: Scavenge 41.5 (121.4) -> 36.5 (121.4) MB, 6.61 / 0.03 ms  (average mu = 0.994, current mu = 0.994) task; ';
		expect(gcPauseOf(line)).toEqual({ kind: 'scavenge', ms: 6.61 });
	});

	it('reads a mark-compact with the incremental marking steps before it', () => {
		const line =
			'[8925:0x3ea2ddd0]    21327 ms: Mark-Compact 102.3 (113.7) -> 32.9 (112.4) MB, 12.58 / 0.10 ms  (+ 1.3 ms in 19 steps since start of marking, biggest step 0.1 ms, walltime since start of marking 55 ms) (average mu = 0.997, current mu = 0.995) finalize incremental marking via task; GC in old space requested';
		expect(gcPauseOf(line)?.kind).toBe('markCompact');
		expect(gcPauseOf(line)?.ms).toBeCloseTo(13.88, 5);
	});

	it('reads a mark-compact without incremental steps, and a reducing one', () => {
		expect(
			gcPauseOf(
				'[1:0x1]   500 ms: Mark-Compact (reduce) 20.1 (30.0) -> 10.2 (25.0) MB, 8.40 / 0.00 ms  (average mu = 0.9) low memory notification; GC in old space requested'
			)
		).toEqual({
			kind: 'markCompact',
			ms: 8.4
		});
	});

	it("ignores the app's own log lines", () => {
		expect(gcPauseOf('{"level":30,"msg":"request","route":"/reports","ms":2.5}')).toBeNull();
		expect(gcPauseOf('')).toBeNull();
	});
});

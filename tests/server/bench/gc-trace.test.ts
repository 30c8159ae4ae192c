import { describe, expect, it } from 'vitest';
import { gcOf, requestOf } from '../../../src/cli/bench/app-server';

// Lines as Node 20's V8 prints them with --trace-gc-nvp (seen on the county benchmark's server, stop 52).
const SCAVENGE =
	'[11244:0x1c998e30]    43151 ms: pause=4.5 mutator=57.2 gc=s reduce_memory=0 time_to_safepoint=0.00 heap.prologue=0.00 heap.epilogue=0.00 heap.epilogue.reduce_new_space=0.00 heap.external.prologue=0.00 heap.external.epilogue=0.00 heap.external_weak_global_handles=0.02 fast_promote=0.00 complete.sweep_array_buffers=0.00 scavenge=4.41 scavenge.free_remembered_set=0.06 scavenge.roots=0.05 scavenge.weak=0.00 scavenge.weak_global_handles.identify=0.00 scavenge.weak_global_handles.process=0.01 scavenge.parallel=3.96 scavenge.update_refs=0.00 scavenge.sweep_array_buffers=0.03 background.scavenge.parallel=3.31 background.unmapper=0.00 unmapper=0.00 incremental.steps_count=0 incremental.steps_took=0.0 scavenge_throughput=1079473 total_size_before=42722792 total_size_after=37676920 holes_size_before=17220920 holes_size_after=15531176 allocated=6318976 promoted=1686672 new_space_survived=1213152 nodes_died_in_new=45 nodes_copied_in_new=0 nodes_promoted=54 promotion_ratio=20.8% average_survival_ratio=37.7% promotion_rate=86.5% new_space_survive_rate_=15.0% new_space_allocation_throughput=191547.4 unmapper_chunks=0';
const MARK_COMPACT =
	'[11244:0x1c998e30]    47770 ms: pause=6.8 mutator=19.6 gc=mc reduce_memory=0 time_to_safepoint=0.00 heap.prologue=0.00 heap.embedder_tracing_epilogue=0.02 heap.epilogue=0.00 heap.epilogue.reduce_new_space=0.00 heap.external.prologue=0.1 heap.external.epilogue=0.0 heap.external.weak_global_handles=0.0 clear=1 clear.external_string_table=0.0 clear.string_forwarding_table=0.0 clear.weak_global_handles=0.0 clear.dependent_code=0.0 clear.maps=0.0 clear.slots_buffer=0.0 clear.weak_collections=0.0 clear.weak_lists=0.1 clear.weak_references=0.9 clear.join_job=0.0 complete.sweep_array_buffers=0.0 complete.sweeping=0.0 epilogue=0.0 evacuate=2.7 evacuate.candidates=0.0 evacuate.clean_up=0.0 evacuate.copy=0.8 evacuate.prologue=0.1 evacuate.epilogue=0.0 evacuate.rebalance=1.0 evacuate.update_pointers=0.8 evacuate.update_pointers.to_new_roots=0.5 evacuate.update_pointers.slots.main=0.3 evacuate.update_pointers.weak=0.0 finish=0.4 finish.sweep_array_buffers=0.3 mark=0.4 mark.finish_incremental=0.0 mark.roots=0.3 mark.full_closure_parallel=0.2 mark.full_closure=0.0 mark.ephemeron.marking=0.0 mark.ephemeron.linear=0.0 mark.embedder_prologue=0.0 mark.embedder_tracing=0.0 prologue=0.0 sweep=2.3 sweep.code=0.0 sweep.map=0.0 sweep.new=0.0 sweep.new_lo=0.0 sweep.old=0.1 incremental=10.6 incremental.finalize=0.0 incremental.finalize.external.prologue=0.0 incremental.finalize.external.epilogue=0.0 incremental.layout_change=0.0 incremental.sweep_array_buffers=0.8 incremental.sweeping=0.0 incremental.embedder_prologue=0.0 incremental.embedder_tracing=0.2 incremental_wrapper_tracing_longest_step=0.0 incremental_longest_step=0.8 incremental_steps_count=79 incremental_marking_throughput=705998 incremental_walltime_duration=76 background.mark=130.5 background.sweep=0.0 background.evacuate.copy=0.6 background.evacuate.update_pointers=0.1 background.unmapper=0.0 unmapper=0.0 total_size_before=104855424 total_size_after=35353912 holes_size_before=375704 holes_size_after=260776 allocated=1041320 promoted=1742304 new_space_survived=0 nodes_died_in_new=10 nodes_copied_in_new=0 nodes_promoted=0 promotion_ratio=70.4% average_survival_ratio=38.0% promotion_rate=134.8% new_space_survive_rate=0.0% new_space_allocation_throughput=159888.6 unmapper_chunks=0 compaction_speed=1327918';

describe("reading the garbage collector's work from --trace-gc-nvp", () => {
	it('reads a scavenge: its pause, what was allocated since the last collection and what it promoted', () => {
		expect(gcOf(SCAVENGE)).toEqual({ kind: 'scavenge', ms: 4.5, allocatedBytes: 6318976, promotedBytes: 1686672 });
	});

	it('reads a mark-compact with the incremental marking before it, not the steps that scavenges report', () => {
		const gc = gcOf(MARK_COMPACT);
		expect(gc?.kind).toBe('markCompact');
		expect(gc?.ms).toBeCloseTo(6.8 + 10.6, 5);
		expect(gc?.allocatedBytes).toBe(1041320);
		expect(gc?.promotedBytes).toBe(1742304);
		// A scavenge's line names incremental marking's fields too (incremental.steps_took=...): none is added to its pause.
		expect(SCAVENGE).toContain(' incremental.steps_took=');
	});

	it('reads a minor mark-compact as the young generation', () => {
		expect(gcOf('[1:0x1]   500 ms: pause=2.5 mutator=10.0 gc=mmc reduce_memory=0 allocated=1000 promoted=10 ')).toEqual({
			kind: 'scavenge',
			ms: 2.5,
			allocatedBytes: 1000,
			promotedBytes: 10
		});
	});

	it("ignores --trace-gc's one-line format and the app's own log lines", () => {
		expect(
			gcOf('[8925:0x3ea2ddd0]    29018 ms: Scavenge 41.5 (121.4) -> 36.5 (121.4) MB, 6.61 / 0.03 ms  (average mu = 0.994, current mu = 0.994) task; ')
		).toBeNull();
		expect(gcOf('{"level":30,"msg":"request","route":"/reports","ms":2.5}')).toBeNull();
		expect(gcOf('')).toBeNull();
	});
});

describe("reading the server's own time for each request from its request log", () => {
	// A line as the app's request log writes it (pino, one JSON object a line).
	const LINE =
		'{"level":"info","time":"2026-12-07T14:54:27.205Z","pid":16822,"requestId":"da2e6b50-f469-47e9-bcb7-313302f64d19","method":"GET","route":"/reports/schools","status":200,"ms":23.9,"msg":"request"}';

	it('reads the route and the time in ms', () => {
		expect(requestOf(LINE)).toEqual({ route: '/reports/schools', ms: 23.9 });
	});

	it('ignores other log lines, a garbage collection line, a line cut short and a request with no route', () => {
		expect(requestOf('{"level":"warn","msg":"A request failed: the database is unavailable","route":"/reports","ms":1}')).toBeNull();
		expect(requestOf(SCAVENGE)).toBeNull();
		expect(requestOf(LINE.slice(0, 80) + '"msg":"request"')).toBeNull();
		expect(requestOf('{"msg":"request","route":null,"ms":3}')).toBeNull();
	});
});

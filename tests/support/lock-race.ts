import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const racerPath = join(root, 'tests', 'support', 'lock-racer.ts');
export const lockModule = join(root, 'src', 'lib', 'server', 'db', 'lock.ts');

function reply<T>(child: ChildProcess): Promise<T> {
	return once(child, 'message').then(([message]) => message as T);
}

/**
 * Races `racers` child processes for a stale lock (left by a process that has exited), `rounds`
 * times, each round in a new directory at one agreed moment. Returns how many won each round.
 */
export async function raceForStaleLock({ racers = 2, rounds = 40, module = lockModule } = {}): Promise<{ winners: number[]; failures: string[] }> {
	const base = mkdtempSync(join(tmpdir(), 'ypt-lock-race-'));
	const gone = spawn('true');
	await once(gone, 'exit');
	const children = Array.from({ length: racers }, () =>
		spawn(process.execPath, ['--import', 'tsx', racerPath, module], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
	);
	try {
		await Promise.all(children.map((child) => reply(child)));
		const winners: number[] = [];
		const failures: string[] = [];
		for (let round = 0; round < rounds; round++) {
			const dir = join(base, String(round));
			mkdirSync(dir);
			writeFileSync(join(dir, 'app.lock'), String(gone.pid));
			const at = performance.timeOrigin + performance.now() + 10;
			const answers = children.map((child) => reply<{ result: string }>(child));
			for (const child of children) child.send({ dir, at });
			const results = (await Promise.all(answers)).map((a) => a.result);
			winners.push(results.filter((r) => r === 'won').length);
			failures.push(...results.filter((r) => r.startsWith('failed')));
		}
		return { winners, failures };
	} finally {
		for (const child of children) child.kill();
		rmSync(base, { recursive: true, force: true });
	}
}

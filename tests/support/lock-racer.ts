// A child process that races for a data directory's lock when told to (tests/support/lock-race.ts).
// The lock module to race with is the first argument, so the same racer can measure an older one.
import { pathToFileURL } from 'node:url';
import type { DirectoryLock } from '../../src/lib/server/db/lock';

type Message = { dir: string; at: number };

const { lockDataDirectory } = (await import(pathToFileURL(process.argv[2]!).href)) as typeof import('../../src/lib/server/db/lock');
let held: DirectoryLock | undefined;

process.on('message', (message: Message) => {
	// The last round's lock, if this racer won it, goes before the next round.
	held?.release();
	held = undefined;
	// Every racer waits for the same moment, spinning rather than sleeping so none is late to wake.
	while (performance.timeOrigin + performance.now() < message.at);
	try {
		held = lockDataDirectory(message.dir);
		process.send!({ result: 'won' });
	} catch (error) {
		const code = (error as { code?: string }).code;
		process.send!({ result: code === 'data_directory_in_use' ? 'refused' : `failed: ${(error as Error).message}` });
	}
});
process.send!({ ready: true });

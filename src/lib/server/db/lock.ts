import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirectoryInUseError extends Error {
	readonly code = 'data_directory_in_use';
	constructor(directory: string, pid: number) {
		super(
			`The data directory ${directory} is already in use by another process (pid ${pid}). ` + 'Stop that process first, or set DATA_DIR to another directory.'
		);
	}
}

// Locks this process holds, so opening the same directory twice in one process is refused too.
const held = new Set<string>();

export interface DirectoryLock {
	readonly path: string;
	release(): void;
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM means the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Takes an exclusive lock on an embedded database directory, so a second process cannot open
 * it and silently lose its writes. The lock is a file created with O_EXCL holding the owner's
 * pid; a lock left by a process that no longer runs is stale and is taken over.
 */
export function lockDataDirectory(directory: string): DirectoryLock {
	mkdirSync(directory, { recursive: true });
	const path = join(directory, 'app.lock');
	if (held.has(path)) throw new DataDirectoryInUseError(directory, process.pid);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			held.add(path);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				held.delete(path);
				rmSync(path, { force: true });
				process.off('exit', release);
			};
			process.on('exit', release);
			return { path, release };
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
			// The owner may be this very pid after a restart in a container: not held, so stale.
			if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
				throw new DataDirectoryInUseError(directory, owner);
			}
			// Stale: the owner was killed without releasing it.
			rmSync(path, { force: true });
		}
	}
	throw new Error(`Could not lock the data directory ${directory}`);
}

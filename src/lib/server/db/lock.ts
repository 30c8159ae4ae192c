import { createHash, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** A file's content, or undefined if it is not there (it was released or replaced meanwhile). */
function readIfThere(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}

/** Writes a new file beside `path` holding `content` in full, to be linked or renamed into place. */
function prepared(path: string, content: string): string {
	const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
	writeFileSync(temporary, content, { flag: 'wx' });
	return temporary;
}

/** The file that whoever replaces `path`, while it holds `content`, must hold first. */
export function takeoverClaim(path: string, content: string): string {
	const hash = createHash('sha256')
		.update(`${basename(path)}\n${content}`)
		.digest('hex')
		.slice(0, 16);
	return join(dirname(path), `app.lock.takeover-${hash}`);
}

/**
 * Makes `path` hold `token` if, and only if, it is free: either absent, or left by a process that
 * no longer runs. Returns undefined when it is ours, or the pid of the running process that
 * holds it (or is taking it over right now).
 *
 * Why this cannot let two processes both win:
 * - Creating: the token is written in full to a file of our own, then hard-linked to `path`.
 *   link() fails if `path` exists, atomically, so exactly one creator wins, and nobody ever
 *   reads a lock file that is empty or half written (O_EXCL then write left such a window).
 * - Taking over a stale lock: removing it and creating anew would let two processes that both
 *   saw it stale both win (the second removes the first's new lock). Instead, only the one
 *   process that holds the takeover claim for that exact content may replace it. The claim is
 *   a file named after a hash of the content, taken with this same function, so exactly one
 *   process holds it. While holding it, the process reads the lock again: if it still holds the
 *   stale content, nobody else can change it (its owner is gone, creating fails while it exists,
 *   and replacing needs this claim), so rename() puts our token in its place, atomically, with
 *   no moment when the lock is absent. If the content has changed, someone else won and we
 *   start again, and will find their (running) pid. Contents are unique (pid and a random id),
 *   so a claim can never apply to a newer lock with the same pid.
 * - A process that dies holding a claim leaves the claim stale; the claim is taken over the
 *   same way, by a claim on the claim, so a crash at any point leaves nothing stuck.
 * What this does not survive is a person deleting a stale lock by hand during a takeover.
 */
function acquire(path: string, token: string): number | undefined {
	for (;;) {
		const mine = prepared(path, token);
		try {
			linkSync(mine, path);
			return undefined;
		} catch (error) {
			if (errorCode(error) !== 'EEXIST') throw error;
		} finally {
			rmSync(mine, { force: true });
		}
		const stale = readIfThere(path);
		if (stale === undefined) continue;
		const owner = Number.parseInt(stale, 10);
		// The owner may be this very pid after a restart in a container: not held, so stale.
		if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) return owner;

		const claim = takeoverClaim(path, stale);
		const claimant = acquire(claim, token);
		if (claimant !== undefined) return claimant;
		try {
			if (readIfThere(path) !== stale) continue;
			const replacement = prepared(path, token);
			try {
				renameSync(replacement, path);
			} catch (error) {
				rmSync(replacement, { force: true });
				throw error;
			}
			return undefined;
		} finally {
			rmSync(claim, { force: true });
		}
	}
}

/**
 * Takes an exclusive lock on an embedded database directory, so a second process cannot open
 * it and silently lose its writes. The lock file `app.lock` holds the owner's pid (and a random
 * id); a lock left by a process that no longer runs is stale and is taken over. How creating
 * and taking over stay atomic is written at `acquire` above.
 */
export function lockDataDirectory(directory: string): DirectoryLock {
	mkdirSync(directory, { recursive: true });
	const path = join(directory, 'app.lock');
	if (held.has(path)) throw new DataDirectoryInUseError(directory, process.pid);
	const token = `${process.pid}\n${randomUUID()}\n`;
	const owner = acquire(path, token);
	if (owner !== undefined) throw new DataDirectoryInUseError(directory, owner);
	held.add(path);
	let released = false;
	const release = () => {
		if (released) return;
		released = true;
		held.delete(path);
		// Only our own lock: never one that someone took over (after a pid check gone wrong).
		if (readIfThere(path) === token) rmSync(path, { force: true });
		process.off('exit', release);
	};
	process.on('exit', release);
	return { path, release };
}

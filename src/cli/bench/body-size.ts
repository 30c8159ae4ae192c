// `npm run bench:body`: what six anonymous 10 MB form posts at once do to the server. Starts the
// app (`npm start`'s way, on a throwaway embedded database with the demo data), then sends six
// posts to /sign-in at once, with a Content-Length and again chunked, while a seventh client
// keeps asking for the sign-in page; prints each post's status and time to its answer, the
// server's memory (RSS) before and at its peak, and how long the other page waited. Last, a
// school contact uploads a 1.5 MB class list to the import, which must still be read.
//
// BENCH_APP_DIR runs another checkout's app the same way (to compare with an earlier version).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = Number(process.env.BENCH_PORT || 4314);
const ORIGIN = `http://localhost:${PORT}`;
const APP_DIR = process.env.BENCH_APP_DIR || process.cwd();
const POSTS = 6;
const POST_BYTES = 10 * 1024 * 1024;
const DEMO_PASSWORD = 'demo-password-2019';

function rssMb(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) / 1024 : NaN;
}

async function startServer(dataDir: string): Promise<ChildProcess> {
	const server = spawn(process.execPath, [join(APP_DIR, 'src/cli/start.js')], {
		cwd: APP_DIR,
		env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(PORT), ORIGIN, SMTP_URL: '', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 600; i++) {
		try {
			if ((await fetch(`${ORIGIN}/sign-in`)).ok) return server;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	server.kill();
	throw new Error('The app did not start within five minutes');
}

/** One anonymous form post of `bytes`, written as fast as the server takes it; resolves at its answer. */
function bigPost(bytes: number, chunked: boolean): Promise<{ status: number; ms: number }> {
	const started = performance.now();
	const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, accept: 'text/html' };
	if (!chunked) headers['content-length'] = String(bytes);
	const chunk = Buffer.alloc(64 * 1024, 'a');
	return new Promise((done, fail) => {
		let answered = false;
		const req = request(`${ORIGIN}/sign-in`, { method: 'POST', headers }, (res) => {
			answered = true;
			done({ status: res.statusCode ?? 0, ms: performance.now() - started });
			res.resume();
			req.destroy();
		});
		req.on('error', (error) => (answered ? undefined : fail(error)));
		req.write('email=nobody%40example.org&password=x&padding=');
		let left = bytes;
		const pump = () => {
			while (left > 0 && !req.destroyed) {
				const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
				left -= part.length;
				if (!req.write(part)) return void req.once('drain', pump);
			}
			if (!req.destroyed) req.end();
		};
		pump();
	});
}

/** Asks for the sign-in page again and again until `until` settles; the slowest answer. */
async function probe(until: Promise<unknown>): Promise<number> {
	let stop = false;
	void until.finally(() => (stop = true));
	let slowest = 0;
	while (!stop) {
		const started = performance.now();
		try {
			await (await fetch(`${ORIGIN}/sign-in`)).text();
		} catch {
			// A kept-alive connection the busy server dropped: counted as the wait it was.
		}
		slowest = Math.max(slowest, performance.now() - started);
		await new Promise((r) => setTimeout(r, 50));
	}
	return slowest;
}

async function signInCookie(email: string): Promise<string> {
	const response = await fetch(`${ORIGIN}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, accept: 'text/html' },
		body: new URLSearchParams({ email, password: DEMO_PASSWORD })
	});
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	if (response.status !== 303 || !cookie) {
		const text = (await response.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
		throw new Error(`Signing in as ${email} answered ${response.status}: ${text.slice(0, 400)}`);
	}
	return cookie;
}

/** A school contact's class list of about 1.5 MB, uploaded for a preview: the status and whether the preview came. */
async function uploadClassList(): Promise<{ status: number; bytes: number; previewed: boolean }> {
	const cookie = await signInCookie('school@demo.test');
	const row = (i: number) => `Pupil${i},Surname${i},2012-0${(i % 9) + 1}-1${i % 10},7\n`;
	let text = 'first_name,last_name,date_of_birth,year_group\n';
	for (let i = 0; text.length < 1.5 * 1024 * 1024; i++) text += row(i);
	const form = new FormData();
	form.set('file', new File([text], 'class.csv', { type: 'text/csv' }));
	const response = await fetch(`${ORIGIN}/young-people/import?/preview`, {
		method: 'POST',
		headers: { cookie, origin: ORIGIN, accept: 'text/html' },
		body: form
	});
	const html = await response.text();
	return { status: response.status, bytes: text.length, previewed: !/too big/i.test(html) && response.status < 413 };
}

const dataDir = mkdtempSync(join(tmpdir(), 'ypt-bench-body-'));
const server = await startServer(dataDir);
const pid = server.pid!;
const report = (row: string) => console.log(row);
report(`App: ${APP_DIR}`);
try {
	for (const chunked of [false, true]) {
		const rest = rssMb(pid);
		let peak = rest;
		const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
		const posts = Promise.all(Array.from({ length: POSTS }, () => bigPost(POST_BYTES, chunked)));
		const slowestPage = await probe(posts);
		const answers = await posts;
		await new Promise((r) => setTimeout(r, 300));
		clearInterval(sampler);
		const how = chunked ? 'chunked' : 'with Content-Length';
		const statuses = [...new Set(answers.map((a) => a.status))].join(', ');
		const slowestPost = Math.max(...answers.map((a) => a.ms));
		report(
			`${POSTS} x 10 MB posts ${how}: status ${statuses}, slowest answer ${slowestPost.toFixed(0)} ms; RSS ${rest.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (+${(peak - rest).toFixed(0)} MB); sign-in page meanwhile at worst ${slowestPage.toFixed(0)} ms`
		);
	}
	const upload = await uploadClassList();
	report(
		`1.5 MB class list (${(upload.bytes / 1024 / 1024).toFixed(2)} MB) to /young-people/import: status ${upload.status}, ${upload.previewed ? 'read' : 'refused'}`
	);
} finally {
	server.kill('SIGTERM');
	await once(server, 'exit');
	rmSync(dataDir, { recursive: true, force: true });
}

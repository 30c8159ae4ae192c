// The deployment in deploy/, run for real on this machine: Debian's nginx with the site file
// deploy/nginx/youth-tracker.conf (only its ports, certificate, log files and upstream ports
// changed), in front of two app processes started from build/index.js with the settings of
// deploy/youth-tracker.env.example, on one PostgreSQL database of their own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { adminUrl, databaseUrl } from './postgres';

const root = resolve('.');
export const SITE_FILE = join(root, 'deploy/nginx/youth-tracker.conf');
export const ENV_FILE = join(root, 'deploy/youth-tracker.env.example');
export const UNIT_FILE = join(root, 'deploy/systemd/youth-tracker@.service');

/** Debian's nginx (apt-get install nginx-light), or NGINX_PATH; undefined when there is none. */
export function nginxPath(): string | undefined {
	const path = process.env.NGINX_PATH || '/usr/sbin/nginx';
	return existsSync(path) ? path : undefined;
}

/** The settings of an environment file, read as systemd's EnvironmentFile= reads them. */
export function readEnvFile(path: string): Record<string, string> {
	const settings: Record<string, string> = {};
	for (const line of readFileSync(path, 'utf8').split('\n')) {
		const text = line.trim();
		if (text === '' || text.startsWith('#') || text.startsWith(';')) continue;
		const at = text.indexOf('=');
		if (at < 1) throw new Error(`${path}: not KEY=value: ${text}`);
		settings[text.slice(0, at)] = text.slice(at + 1);
	}
	return settings;
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	server.close();
	await once(server, 'close');
	return port;
}

export interface SitePorts {
	http: number;
	https: number;
	apps: [number, number];
}

/**
 * The site file as the test runs it: the same server blocks, proxy headers, TLS settings and
 * upstream, listening on high ports of 127.0.0.1 with a throwaway certificate and logs in `dir`.
 * Each change must find its line, so a site file reshaped past what the test knows fails loudly.
 */
export function testSite(site: string, ports: SitePorts, dir: string): string {
	const changes: [RegExp, string][] = [
		[/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${ports.http};`],
		[/^\s*listen \[::\]:80;\n/m, ''],
		[/^(\s*)listen 443 ssl http2;$/m, `$1listen 127.0.0.1:${ports.https} ssl http2;`],
		[/^\s*listen \[::\]:443 ssl http2;\n/m, ''],
		[/^(\s*)ssl_certificate \S+;$/m, `$1ssl_certificate ${join(dir, 'cert.pem')};`],
		[/^(\s*)ssl_certificate_key \S+;$/m, `$1ssl_certificate_key ${join(dir, 'key.pem')};`],
		[/^(\s*)server 127\.0\.0\.1:3001;$/m, `$1server 127.0.0.1:${ports.apps[0]};`],
		[/^(\s*)server 127\.0\.0\.1:3002;$/m, `$1server 127.0.0.1:${ports.apps[1]};`],
		[/^(\s*)access_log \S+ youth_tracker;$/gm, `$1access_log ${join(dir, 'access.log')} youth_tracker;`],
		[/^(\s*)error_log \S+;$/m, `$1error_log ${join(dir, 'error.log')};`]
	];
	let text = site;
	for (const [pattern, replacement] of changes) {
		if (!pattern.test(text)) throw new Error(`The test cannot find ${pattern} in ${SITE_FILE}`);
		pattern.lastIndex = 0;
		text = text.replace(pattern, replacement);
	}
	return text;
}

/** A self-signed certificate for 127.0.0.1, written as cert.pem and key.pem in `dir`. */
export function makeCertificate(dir: string): string {
	const made = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-days',
			'1',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1',
			'-keyout',
			join(dir, 'key.pem'),
			'-out',
			join(dir, 'cert.pem')
		],
		{ encoding: 'utf8' }
	);
	if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
	return readFileSync(join(dir, 'cert.pem'), 'utf8');
}

/** Waits until something accepts connections on the port, or the process meant to stops. */
async function listening(port: number, what: () => string, exited: () => boolean): Promise<void> {
	for (let tries = 0; tries < 600; tries++) {
		if (exited()) throw new Error(what());
		const accepted = await new Promise<boolean>((done) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				done(true);
			});
			socket.once('error', () => done(false));
		});
		if (accepted) return;
		await new Promise((done) => setTimeout(done, 100));
	}
	throw new Error(`Nothing listens on port ${port} after 60 s: ${what()}`);
}

export interface Started {
	output(): string;
	stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, 'exit');
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

function started(child: ChildProcess, signal: NodeJS.Signals): Started & { exited(): boolean } {
	let output = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	return {
		output: () => output,
		exited: () => child.exitCode !== null || child.signalCode !== null,
		stop: () => stopChild(child, signal)
	};
}

/** One app process from build/index.js, as a systemd unit starts it. */
export async function startApp(env: Record<string, string>): Promise<Started> {
	const child = spawn(process.execPath, [join(root, 'build/index.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	const app = started(child, 'SIGTERM');
	await listening(
		Number(env.PORT),
		() => `The app on port ${env.PORT} stopped: ${app.output()}`,
		() => app.exited()
	);
	return app;
}

/** nginx as this user, in the foreground, with its configuration, pid and logs in `dir`. */
export async function startNginx(nginx: string, dir: string, site: string, ports: SitePorts): Promise<Started> {
	writeFileSync(join(dir, 'youth-tracker.conf'), site);
	// As root, nginx hands requests to workers of another user, who must reach the temp folders.
	if (process.getuid?.() === 0) chmodSync(dir, 0o755);
	const main = [
		process.getuid?.() === 0 ? 'user nobody nogroup;' : '',
		'worker_processes 2;',
		`pid ${join(dir, 'nginx.pid')};`,
		`error_log ${join(dir, 'error.log')};`,
		'events { worker_connections 1024; }',
		'http {',
		'    include /etc/nginx/mime.types;',
		'    default_type application/octet-stream;',
		...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${join(dir, `${t}_temp`)};`),
		`    include ${join(dir, 'youth-tracker.conf')};`,
		'}'
	].join('\n');
	writeFileSync(join(dir, 'nginx.conf'), main);
	const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')];
	const checked = spawnSync(nginx, [...args, '-t'], { encoding: 'utf8' });
	if (checked.status !== 0) throw new Error(`nginx -t refused the site: ${checked.stderr}`);
	const child = spawn(nginx, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
	// SIGQUIT: nginx's graceful stop, after the requests it is answering.
	const server = started(child, 'SIGQUIT');
	const log = () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
	for (const port of [ports.http, ports.https]) {
		await listening(
			port,
			() => `nginx stopped: ${server.output()} ${log()}`,
			() => server.exited()
		);
	}
	return server;
}

/** An empty PostgreSQL database on TEST_DATABASE_URL's server, dropped by `drop()`. */
export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `ypt_nginx_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const run = async (statement: string) => {
		const admin = new pg.Client({ connectionString: adminUrl() });
		await admin.connect();
		try {
			await admin.query(statement);
		} finally {
			await admin.end();
		}
	};
	await run(`create database ${name}`);
	return { url: databaseUrl(name), drop: () => run(`drop database if exists ${name} with (force)`) };
}

export interface Answer {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

/**
 * A browser of one person, connecting from its own loopback address (127.0.0.0/8 is all this
 * machine's), so the address nginx sees differs from nginx's own 127.0.0.1. Keeps the session
 * cookie, and sends form posts with the Origin a browser would.
 */
export class Visitor {
	/** The cookies set so far, by name, as a browser keeps them (the session's and a banner's, say). */
	private readonly cookies = new Map<string, string>();
	private readonly agent: Agent;

	constructor(
		readonly origin: string,
		readonly address: string,
		certificate: string
	) {
		this.agent = new Agent({ keepAlive: true, ca: certificate, localAddress: address });
	}

	get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
		return this.send('GET', path, headers);
	}

	postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
		const body = new URLSearchParams(fields).toString();
		return this.send('POST', path, { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin, ...headers }, body);
	}

	close(): void {
		this.agent.destroy();
	}

	private send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
		const url = new URL(path, this.origin);
		return new Promise((done, fail) => {
			const req = httpsRequest(
				url,
				{
					method,
					agent: this.agent,
					localAddress: this.address,
					// A browser's Accept: without it, SvelteKit answers a form post as JSON for its own scripts.
					headers: {
						accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
						...(this.cookies.size > 0 ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
						...headers
					}
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (chunk: Buffer) => chunks.push(chunk));
					res.on('end', () => {
						for (const set of res.headers['set-cookie'] ?? []) {
							const pair = set.split(';')[0]!;
							const name = pair.slice(0, pair.indexOf('='));
							if (/max-age=0|expires=thu, 01 jan 1970/i.test(set)) this.cookies.delete(name);
							else this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
						}
						done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') });
					});
				}
			);
			req.on('error', fail);
			req.end(body);
		});
	}
}

/** A plain-http request to nginx's port 80 stand-in. */
export function plainGet(port: number, path: string): Promise<Answer> {
	return new Promise((done, fail) => {
		const req = httpRequest({ host: '127.0.0.1', port, path }, (res) => {
			res.resume();
			res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
		});
		req.on('error', fail);
		req.end();
	});
}

/**
 * Sends a sign-in form padded to `bytes` and answers with the status of the response: a body over
 * client_max_body_size is refused by nginx from its Content-Length, before it is read.
 */
export function postOfSize(origin: string, certificate: string, path: string, bytes: number, address: string): Promise<number> {
	const url = new URL(path, origin);
	const prefix = 'email=nobody%40example.org&password=x&padding=';
	const chunk = Buffer.alloc(64 * 1024, 'a');
	return new Promise((done, fail) => {
		const req = httpsRequest(
			url,
			{
				method: 'POST',
				ca: certificate,
				localAddress: address,
				headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(bytes), origin }
			},
			(res) => {
				res.resume();
				done(res.statusCode ?? 0);
				req.destroy();
			}
		);
		req.on('error', (error) => (req.destroyed ? undefined : fail(error)));
		let left = bytes - prefix.length;
		req.write(prefix);
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

/** A temp folder for nginx's configuration, certificate, pid and logs. */
export function tempDir(): { path: string; remove(): void } {
	const path = mkdtempSync(join(tmpdir(), 'ypt-nginx-'));
	return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

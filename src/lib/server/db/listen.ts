import pg from 'pg';
import { log } from '../log';

// PostgreSQL's LISTEN on a connection of its own, outside the pool: a pooled connection is
// handed to whichever request asks next, and a listening one must stay put. A lost connection
// (a restart, a failover, the network) is reported and made again after a pause, for as long
// as the listener runs; notifications sent meanwhile are missed, which is why `lost` is told.

/** What a listener is told: each notification, and when its connection is up or lost. */
export interface ListenHandlers {
	notified(payload: string | undefined): void;
	connected(): void;
	lost(): void;
}

export interface Listening {
	stop(): Promise<void>;
}

/** The name the listening connection gives PostgreSQL (pg_stat_activity), for people and tests. */
export const LISTENER_NAME = 'ypt-listener';

/** Listens on `channel` (a plain lower-case name) until stopped, connecting again `retryMs` after a loss. */
export function listenOn(url: string, channel: string, handlers: ListenHandlers, retryMs = 1_000): Listening {
	if (!/^[a-z_]+$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
	let client: pg.Client | undefined;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let stopped = false;

	async function connect(): Promise<void> {
		retry = undefined;
		if (stopped) return;
		const connection = new pg.Client({ connectionString: url, application_name: LISTENER_NAME, keepAlive: true, connectionTimeoutMillis: 10_000 });
		client = connection;
		let up = false;
		let gone = false;
		const lose = (error?: Error) => {
			if (gone) return;
			gone = true;
			connection.end().catch(() => {});
			if (stopped) return;
			log.warn({ sqlstate: (error as { code?: string } | undefined)?.code }, `The connection listening for ${channel} was lost; connecting again`);
			if (up) handlers.lost();
			retry = setTimeout(() => void connect(), retryMs);
			retry.unref?.();
		};
		connection.on('error', lose);
		connection.on('end', () => lose());
		connection.on('notification', (message) => {
			if (message.channel === channel) handlers.notified(message.payload);
		});
		try {
			await connection.connect();
			await connection.query(`listen ${channel}`);
		} catch (error) {
			lose(error instanceof Error ? error : new Error(String(error)));
			return;
		}
		if (stopped || gone) return;
		up = true;
		handlers.connected();
	}

	void connect();
	return {
		async stop() {
			stopped = true;
			if (retry) clearTimeout(retry);
			await client?.end().catch(() => {});
		}
	};
}

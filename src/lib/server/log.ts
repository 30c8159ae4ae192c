import pino, { type DestinationStream, type Logger } from 'pino';

// The server's log: one JSON line per event (a request answered, an error, a database
// connection lost), for journald or a log collector. What goes in: ids (request, error, route),
// statuses, durations, SQLSTATE codes and stack traces. What never does: names, e-mail
// addresses, tokens or full URLs (a one-time link's secret is in its path), nor a database
// error's detail, which can quote the values of a row. LOG_LEVEL sets how much (default info;
// debug adds the health checks' requests).

export type { Logger };

export function createLogger(destination?: DestinationStream): Logger {
	const options = {
		level: process.env.LOG_LEVEL || 'info',
		base: { pid: process.pid },
		timestamp: pino.stdTimeFunctions.isoTime,
		formatters: { level: (label: string) => ({ level: label }) }
	};
	return destination ? pino(options, destination) : pino(options);
}

export const log = createLogger();

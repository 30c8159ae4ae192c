import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, isDatabaseUnavailable, unavailableReason } from '../../../src/lib/server/db/unavailable';

/** An error shaped as pg's DatabaseError, with its SQLSTATE code. */
function databaseError(code: string, message = 'an error from PostgreSQL'): Error {
	return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe('isDatabaseUnavailable', () => {
	it.each([
		['pg_terminate_backend or a fast shutdown (57P01)', databaseError('57P01', 'terminating connection due to administrator command')],
		['a crash of another backend (57P02)', databaseError('57P02')],
		['a server starting up or shutting down (57P03)', databaseError('57P03', 'the database system is starting up')],
		['too many connections (53300)', databaseError('53300')],
		['a connection exception (class 08)', databaseError('08006')],
		['the socket closing under a query', new Error('Connection terminated unexpectedly')],
		['a client already broken', new Error('Client has encountered a connection error and is not queryable')],
		['waiting in vain for a connection', new Error('timeout exceeded when trying to connect')],
		['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
		['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
		['no connection to be had at all', new DatabaseUnavailableError(databaseError('55000', 'database "x" is not currently accepting connections'))],
		['one of these as the cause of another error', new Error('the booking could not be saved', { cause: databaseError('57P01') })]
	])('says yes for %s', (_, error) => {
		expect(isDatabaseUnavailable(error)).toBe(true);
	});

	it.each([
		['a unique violation (23505)', databaseError('23505', 'duplicate key value violates unique constraint')],
		['a serialisation failure (40001), which the app retries itself', databaseError('40001')],
		['an undefined table (42P01)', databaseError('42P01')],
		['a statement ended by statement_timeout (57014)', databaseError('57014')],
		['a mistake in the app', new TypeError("Cannot read properties of undefined (reading 'id')")],
		['a file not found (a code that is not a SQLSTATE)', Object.assign(new Error('no such file'), { code: 'ENOENT' })],
		['something that is not an error', 'Connection terminated unexpectedly'],
		['nothing', undefined]
	])('says no for %s', (_, error) => {
		expect(isDatabaseUnavailable(error)).toBe(false);
	});

	it('names the cause when no connection could be had, for the start-up message', () => {
		const error = new DatabaseUnavailableError(Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' }));
		expect(error.message).toBe('The database could not be reached: password authentication failed for user "app"');
	});
});

describe('unavailableReason', () => {
	it.each([
		[
			'a reset connection, as the driver threw it',
			Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
			{ sqlstate: 'ECONNRESET', reason: 'read ECONNRESET' }
		],
		[
			"no connection to be had, without the wrapper's words",
			new DatabaseUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
			{ sqlstate: 'ECONNREFUSED', reason: 'connect ECONNREFUSED 127.0.0.1:5432' }
		],
		[
			'a refusal that is not itself a lost connection, behind the wrapper',
			new DatabaseUnavailableError(databaseError('28P01', 'password authentication failed for user "app"')),
			{ sqlstate: '28P01', reason: 'password authentication failed for user "app"' }
		],
		[
			"the lost connection behind the app's own error",
			new Error('the booking could not be saved', { cause: databaseError('57P01', 'terminating connection due to administrator command') }),
			{ sqlstate: '57P01', reason: 'terminating connection due to administrator command' }
		],
		['a message with no code', new Error('Connection terminated unexpectedly'), { reason: 'Connection terminated unexpectedly' }]
	])("gives the driver's words for %s", (_, error, expected) => {
		expect(unavailableReason(error)).toEqual(expected);
	});
});

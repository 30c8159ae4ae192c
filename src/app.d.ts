import type { Actor, SecondFactorOutstanding } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quoted to the user so a report can be matched to the server log. */
			errorId?: string;
			/** The database went away during the request: the page says to try again shortly. */
			unavailable?: boolean;
		}
		interface Locals {
			user: Actor | null;
			/** A session whose password was right but whose second factor is outstanding (web/second-factor-gate.ts). */
			pendingSignIn?: (Actor & { secondFactor: NonNullable<SecondFactorOutstanding> }) | null;
			sessionToken: string | null;
			/** For the log: this request's id, and the id of the error it ended in. */
			requestId?: string;
			errorId?: string;
			/** Set by handleError when the database went away under the request: answered 503. */
			databaseUnavailable?: boolean;
		}
		/** adapter-node's: the request as Node received it (the dev and preview servers give none). */
		interface Platform {
			req: import('node:http').IncomingMessage;
		}
		interface PageData {
			user?: Pick<Actor, 'name' | 'email' | 'role'> | null;
		}
	}
}

export {};

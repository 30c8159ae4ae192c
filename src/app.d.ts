import type { Actor } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quoted to the user so a report can be matched to the server log. */
			errorId?: string;
		}
		interface Locals {
			user: Actor | null;
			sessionToken: string | null;
		}
		interface PageData {
			user?: Pick<Actor, 'name' | 'email' | 'role'> | null;
		}
	}
}

export {};

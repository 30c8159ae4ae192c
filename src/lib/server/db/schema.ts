import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types, written to match migrations/ (see tests/server/db/schema.test.ts, which checks
// every column here against the migrated database).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<Record<string, unknown>, string | Record<string, unknown> | undefined, string>;

export const schoolPhases = ['primary', 'secondary', 'all-through', 'special', 'college'] as const;
export type SchoolPhase = (typeof schoolPhases)[number];
export const schoolTowns = ['Dover', 'Deal', 'Sandwich', 'Rural'] as const;
export type SchoolTown = (typeof schoolTowns)[number];
export const roles = ['admin', 'lead', 'school', 'viewer'] as const;
export type Role = (typeof roles)[number];
export const userStatuses = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof userStatuses)[number];
export type TokenPurpose = 'invitation' | 'password_reset';
export type OutboxStatus = 'kept' | 'sent' | 'failed';

export interface SchoolTable {
	id: Generated<string>;
	name: string;
	urn: string | null;
	phase: SchoolPhase;
	town: SchoolTown;
	active: Generated<boolean>;
	created_at: CreatedAt;
	updated_at: Timestamp;
}

export interface AppUserTable {
	id: Generated<string>;
	email: string;
	name: string;
	role: Role;
	school_id: string | null;
	status: UserStatus;
	password_hash: string | null;
	created_at: CreatedAt;
	updated_at: Timestamp;
}

export interface AuthSessionTable {
	id: string;
	user_id: string;
	created_at: CreatedAt;
	expires_at: Timestamp;
}

export interface UserTokenTable {
	id: string;
	user_id: string;
	purpose: TokenPurpose;
	expires_at: Date;
	used_at: Date | null;
	created_at: CreatedAt;
}

export interface SignInAttemptTable {
	id: Generated<number>;
	at: CreatedAt;
	account: string;
	address: string;
	succeeded: boolean;
}

export interface AuditEventTable {
	id: Generated<number>;
	at: CreatedAt;
	actor_id: string | null;
	action: string;
	entity_type: string | null;
	entity_id: string | null;
	detail: Json;
	address: string | null;
}

export interface OutboxMessageTable {
	id: Generated<string>;
	created_at: CreatedAt;
	to_address: string;
	subject: string;
	body_text: string | null;
	status: OutboxStatus;
	error: string | null;
}

export interface DB {
	school: SchoolTable;
	app_user: AppUserTable;
	auth_session: AuthSessionTable;
	user_token: UserTokenTable;
	sign_in_attempt: SignInAttemptTable;
	audit_event: AuditEventTable;
	outbox_message: OutboxMessageTable;
}

export type School = Selectable<SchoolTable>;
export type NewSchool = Insertable<SchoolTable>;
export type SchoolUpdate = Updateable<SchoolTable>;
export type AppUser = Selectable<AppUserTable>;

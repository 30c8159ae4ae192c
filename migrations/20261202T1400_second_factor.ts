import { sql, type Kysely } from 'kysely';

// A second factor (TOTP, RFC 6238) for the accounts that see many schools' children.
// - app_user.totp_secret: the shared key, base32, set once the user has proved their app
//   shows the right code; totp_last_step is the 30-second step of the last code accepted, so
//   the same code is not accepted twice.
// - second_factor_recovery_code: ten single-use codes per user, stored as SHA-256 hashes
//   (each is 50 random bits and guesses are throttled, so a slow hash adds nothing).
// - remembered_device: a browser that may skip the code for up to 30 days, by a hash of the
//   token in its cookie; dropped when the second factor is reset or the password changes.
// - auth_session.second_factor_pending: the password was right but the code not yet given;
//   such a session reaches no page but the one asking for the code.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('app_user')
		.addColumn('totp_secret', 'text')
		.addColumn('totp_enabled_at', 'timestamptz')
		.addColumn('totp_last_step', 'integer')
		.execute();
	await db.schema
		.alterTable('auth_session')
		.addColumn('second_factor_pending', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();

	await db.schema
		.createTable('second_factor_recovery_code')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('code_hash', 'text', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('second_factor_recovery_code_user_code_key', ['user_id', 'code_hash'])
		.execute();

	await db.schema
		.createTable('remembered_device')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('remembered_device_user_id_idx').on('remembered_device').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('remembered_device').execute();
	await db.schema.dropTable('second_factor_recovery_code').execute();
	await db.schema.alterTable('auth_session').dropColumn('second_factor_pending').execute();
	await db.schema.alterTable('app_user').dropColumn('totp_secret').dropColumn('totp_enabled_at').dropColumn('totp_last_step').execute();
}

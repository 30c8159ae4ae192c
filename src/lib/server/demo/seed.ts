import { withTransaction, type Db } from '../db';
import { failureErrors } from '../result';
import { insertAuditEvent } from '../audit/audit.queries';
import { hashPassword } from '../auth/password';
import type { Role } from '../db/schema';
import { parseSchoolsCsv } from '../schools/schools.import';
import { validateSchool } from '../schools/schools.schema';
import { insertSchools } from '../schools/schools.queries';
import { insertUser } from '../users/users.queries';
import { seedDemoProgrammes } from './programmes-seed';
import { seedCurrentArtsCohort, seedReferenceYears } from './reference-years';
import { londonParts } from '../time';
import { refreshRollups } from '../reports/rollups';
import { updateUserSecondFactor } from '../users/users.queries';
import { stepAt } from '../auth/totp';
import { DEMO_SECOND_FACTOR_EMAILS, demoTotpKey } from './demo-second-factor';

export const DEMO_PASSWORD = 'demo-password-2019';

const demoUsers: { email: string; name: string; role: Role; school?: string }[] = [
	{ email: 'admin@demo.test', name: 'Alex Admin', role: 'admin' },
	{ email: 'lead@demo.test', name: 'Lee Lead', role: 'lead' },
	{ email: 'school@demo.test', name: 'Sam School', role: 'school', school: 'Astor College' },
	{ email: 'primary@demo.test', name: 'Pat Primary', role: 'school', school: 'Barton Junior School' },
	{ email: 'viewer@demo.test', name: 'Vic Viewer', role: 'viewer' }
];

export async function hasAnyUser(db: Db): Promise<boolean> {
	return Boolean(await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst());
}

/**
 * Seeds the district's schools and one user per role, all with the demo password. Refuses to
 * run on a database that already has users, so it can never overwrite real accounts.
 */
export async function seedDemo(db: Db, schoolsCsv: string): Promise<void> {
	const parsed = parseSchoolsCsv(schoolsCsv);
	if (!parsed.ok) throw new Error(`The demo schools file is not valid: ${failureErrors(parsed).file}`);
	const hashes = await Promise.all(demoUsers.map(() => hashPassword(DEMO_PASSWORD)));
	return withTransaction(db, async (trx) => {
		if (await hasAnyUser(trx)) throw new Error('The database already has users: demo data is only seeded into an empty database');
		const schools = parsed.rows.map(({ values }) => validateSchool(values).input);
		const ids = await insertSchools(trx, schools);
		const schoolId = (name: string) => ids[schools.findIndex((s) => s.name === name)]!.id;
		const userIds = new Map<string, string>();
		for (const [i, user] of demoUsers.entries()) {
			const { id } = await insertUser(trx, {
				email: user.email,
				name: user.name,
				role: user.role,
				schoolId: user.school ? schoolId(user.school) : null,
				status: 'active',
				passwordHash: hashes[i]
			});
			userIds.set(user.email, id);
			// Keys derived from the email (demo-second-factor.ts); the step before now, so today's code works.
			if (DEMO_SECOND_FACTOR_EMAILS.includes(user.email)) {
				await updateUserSecondFactor(trx, id, { secret: demoTotpKey(user.email), step: stepAt(new Date()) - 2 });
			}
		}
		const people = {
			leadId: userIds.get('lead@demo.test')!,
			adminId: userIds.get('admin@demo.test')!,
			schoolIds: new Map(schools.map((s, i) => [s.name, ids[i]!.id]))
		};
		const programmeIds = await seedDemoProgrammes(trx, people);
		const ofPhase = (phase: string) => schools.flatMap((s, i) => (s.phase === phase ? [ids[i]!.id] : []));
		await seedReferenceYears(trx, { ...people, programmeIds, secondary: ofPhase('secondary'), primary: ofPhase('primary') });
		await seedCurrentArtsCohort(trx, { schoolIds: people.schoolIds, programmeIds }, londonParts(new Date()).date);
		await refreshRollups(trx);
		await insertAuditEvent(trx, { actorId: null, action: 'demo.seeded', detail: { schools: schools.length, users: demoUsers.length } });
	});
}

export async function hasDemoUsers(db: Db): Promise<boolean> {
	return Boolean(await db.selectFrom('app_user').select('id').where('email', '=', demoUsers[0]!.email).executeTakeFirst());
}

export function describeSignIns(): string {
	const lines = demoUsers.map((u) => {
		const totp = DEMO_SECOND_FACTOR_EMAILS.includes(u.email) ? ` totp=${demoTotpKey(u.email)}` : '';
		return `  ${u.email.padEnd(20)} ${u.role}${u.school ? ` (${u.school})` : ''}${totp}`;
	});
	return [
		'Demo sign-ins (password for all: ' + DEMO_PASSWORD + '):',
		...lines,
		'The code for a totp= line: npm run demo:code -- <email> (or add the key to an authenticator app).'
	].join('\n');
}

import type { Role } from '../db/schema';

/**
 * Who must sign in with a second factor (OWASP ASVS 5 V6.3.3): admins, leads and report
 * viewers, who see many schools' children. School contacts may turn one on; REQUIRE_MFA=all
 * makes it required for everyone.
 */
export function mustUseSecondFactor(role: Role, requireMfa = process.env.REQUIRE_MFA): boolean {
	return requireMfa?.trim().toLowerCase() === 'all' || role !== 'school';
}

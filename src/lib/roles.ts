import type { Role } from '$lib/server/db/schema';

export const roleLabels: Record<Role, string> = {
	admin: 'Partnership admin',
	lead: 'Programme lead',
	school: 'School contact',
	viewer: 'Report viewer'
};

/** The main navigation each role sees. */
export function navigationFor(role: Role): { href: string; label: string }[] {
	const dashboard = { href: '/dashboard', label: 'Dashboard' };
	switch (role) {
		case 'admin':
			return [
				dashboard,
				{ href: '/schools', label: 'Schools' },
				{ href: '/users', label: 'Users' },
				{ href: '/audit', label: 'Audit log' },
				{ href: '/outbox', label: 'Outbox' }
			];
		case 'lead':
			return [dashboard, { href: '/schools', label: 'Schools' }];
		case 'school':
		case 'viewer':
			return [dashboard];
	}
}

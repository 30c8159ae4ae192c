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
				{ href: '/programmes', label: 'Programmes' },
				{ href: '/sessions', label: 'Sessions' },
				{ href: '/schools', label: 'Schools' },
				{ href: '/young-people', label: 'Young people' },
				{ href: '/reports', label: 'Reports' },
				{ href: '/users', label: 'Users' },
				{ href: '/terms', label: 'School terms' },
				{ href: '/audit', label: 'Audit log' },
				{ href: '/outbox', label: 'Outbox' }
			];
		case 'lead':
			return [
				dashboard,
				{ href: '/programmes', label: 'Programmes' },
				{ href: '/sessions', label: 'Sessions' },
				{ href: '/schools', label: 'Schools' },
				{ href: '/young-people', label: 'Young people' },
				{ href: '/reports', label: 'Reports' }
			];
		case 'school':
			return [
				dashboard,
				{ href: '/sessions', label: 'Book a session' },
				{ href: '/bookings', label: "My school's bookings" },
				{ href: '/young-people', label: 'Young people' },
				{ href: '/reports', label: "Our school's report" }
			];
		case 'viewer':
			return [dashboard, { href: '/reports', label: 'Reports' }];
	}
}

import type { Db } from '../db';
import type { Actor } from '../auth/session';
import { listAuditEvents } from '../audit/audit.queries';
import { countSchoolsByPhase, countSchoolsByTownAndPhase, findSchool } from '../schools/schools.queries';
import { countUsersByRoleAndStatus, listUsers } from '../users/users.queries';
import { listProgrammes } from '../programmes/programmes.queries';
import { listSessions } from '../sessions/sessions.queries';
import { listBookingsForSchool } from '../bookings/bookings.queries';

/** What each role's dashboard shows; every branch reads only what that role may see. */
export async function getDashboard(db: Db, actor: Actor) {
	switch (actor.role) {
		case 'admin':
			return {
				role: 'admin' as const,
				schoolsByPhase: await countSchoolsByPhase(db),
				users: await countUsersByRoleAndStatus(db),
				recentEvents: await listAuditEvents(db, { limit: 8, offset: 0 })
			};
		case 'lead': {
			const programmes = await listProgrammes(db, { leadId: actor.id });
			const sessions = await listSessions(db, {
				programmeIds: programmes.map((p) => p.id),
				from: new Date(),
				statuses: ['scheduled']
			});
			return { role: 'lead' as const, programmes, sessions: sessions.slice(0, 12), schoolsByPhase: await countSchoolsByPhase(db) };
		}
		case 'school': {
			const school = await findSchool(db, actor.schoolId!);
			const colleagues = (await listUsers(db, { schoolId: actor.schoolId!, status: 'active' }))
				.filter((u) => u.id !== actor.id)
				.map((u) => ({ name: u.name, email: u.email }));
			const bookings = await listBookingsForSchool(db, actor.schoolId!, { from: new Date() });
			return { role: 'school' as const, school: school!, colleagues, bookings: bookings.filter((b) => b.status !== 'cancelled') };
		}
		case 'viewer':
			return { role: 'viewer' as const, schoolsByTownAndPhase: await countSchoolsByTownAndPhase(db) };
	}
}

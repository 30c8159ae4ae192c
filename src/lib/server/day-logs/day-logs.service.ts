import type { Db } from '../db';
import { authoriseRegisterList } from '../auth/policy';
import type { Actor } from '../auth/session';
import { listAwardGroups } from '../awards/awards.queries';
import { cohortFinished } from '../mentoring/mentoring.service';
import { listCohorts } from '../mentoring/mentoring.queries';
import { listManagedProgrammes } from '../programmes/programmes.service';

// What a lead can log on the day besides registers, listed on the Today page beside them so
// they are kept on the device in one go (static/day-offline.js): each running mentoring
// cohort's meetings and each award group's days, of the active programmes the lead leads (all
// of them for an admin). Each is named by the address of its page and of its data, as a
// register is (attendance/day-registers.service.ts).

export interface DayLog {
	/** Where it is kept on the device: by its page. */
	key: string;
	kind: 'meeting' | 'award_day';
	path: string;
	manifest: string;
	title: string;
	programmeName: string;
}

/** The day pages of the actor's programmes: running cohorts, and award groups with someone still working towards an award. */
export async function listDayLogs(db: Db, actor: Actor, now = new Date()): Promise<DayLog[]> {
	await authoriseRegisterList(db, actor);
	const programmes = (await listManagedProgrammes(db, actor)).filter((p) => p.active && (p.shape === 'cohort' || p.shape === 'award'));
	const logs: DayLog[] = [];
	for (const p of programmes) {
		if (p.shape === 'cohort') {
			for (const c of (await listCohorts(db, p.id)).filter((c) => !cohortFinished(c.academic_year, now))) {
				const path = `/programmes/${p.id}/mentoring/cohorts/${c.id}/day`;
				logs.push({
					key: path,
					kind: 'meeting',
					path,
					manifest: `${path}/manifest.json`,
					title: `Mentoring meetings, cohort ${c.academic_year} to ${c.academic_year + 1}`,
					programmeName: p.name
				});
			}
		} else {
			for (const g of (await listAwardGroups(db, p.id)).filter((g) => g.participants > g.achieved)) {
				const path = `/programmes/${p.id}/awards/${g.id}/day`;
				logs.push({ key: path, kind: 'award_day', path, manifest: `${path}/manifest.json`, title: `Award days: ${g.name}`, programmeName: p.name });
			}
		}
	}
	return logs;
}

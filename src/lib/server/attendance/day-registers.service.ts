import type { Db } from '../db';
import { authoriseRegisterList } from '../auth/policy';
import type { Actor } from '../auth/session';
import type { RegisterKind } from '../db/schema';
import { listStationRegisters } from '../sessions/sessions.queries';
import { listSessionsFor } from '../sessions/sessions.service';
import { addDays, fromLondon } from '../time';

// "Take the day's registers with you": before leaving the office a lead keeps every register
// of a day's sessions on the device in one go (static/day-offline.js). Which sessions: those of
// the programmes the lead leads (all of them for an admin), as the sessions list narrows them;
// never another programme's. Each register is named by the address of its page and of its data.

/** One register a day holds: a session's own (named or headcount), or one workstation's. */
export interface DayRegister {
	/** Where it is kept on the device: a named register by session id, as /register-offline.js keeps it; others by page. */
	key: string;
	kind: 'named' | 'headcount' | 'station';
	path: string;
	manifest: string;
	title: string;
}

export interface DaySession {
	id: string;
	programmeName: string;
	startsAt: Date;
	endsAt: Date;
	venue: string;
	registerKind: RegisterKind;
	registers: DayRegister[];
}

/** The sessions of a day (YYYY-MM-DD, in UK time) whose registers the actor may take, not cancelled, each with its registers. */
export async function listDayRegisters(db: Db, actor: Actor, day: string): Promise<DaySession[]> {
	await authoriseRegisterList(db, actor);
	const sessions = (await listSessionsFor(db, actor, { from: fromLondon(day), to: fromLondon(addDays(day, 1)) })).filter((s) => s.status !== 'cancelled');
	const stations = await listStationRegisters(
		db,
		sessions.filter((s) => s.shape === 'carousel').map((s) => s.id)
	);
	return sessions.map((s) => {
		const path = `/sessions/${s.id}/register`;
		const own: DayRegister =
			s.register_kind === 'named'
				? { key: s.id, kind: 'named', path, manifest: `${path}/manifest.json`, title: 'Register for the whole session' }
				: { key: path, kind: 'headcount', path, manifest: `${path}/counts/manifest.json`, title: 'Headcount' };
		const atStations: DayRegister[] = stations
			.filter((st) => st.session_id === s.id)
			.map((st) => {
				const stationPath = `${path}/stations/${st.id}`;
				return { key: stationPath, kind: 'station', path: stationPath, manifest: `${stationPath}/manifest.json`, title: `${st.name} workstation` };
			});
		return {
			id: s.id,
			programmeName: s.programme_name,
			startsAt: s.starts_at,
			endsAt: s.ends_at,
			venue: s.venue,
			registerKind: s.register_kind,
			registers: [own, ...atStations]
		};
	});
}

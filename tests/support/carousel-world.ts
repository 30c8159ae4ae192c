import type { Kysely } from 'kysely';
import type { DB } from '../../src/lib/server/db/schema';
import { saveStations } from '../../src/lib/server/sessions/carousel.service';
import { createLedProgramme, scheduleLeadSession, type ProgrammeWorld } from './booking-world';
import { makeBooking, makeSchool } from './factories';

export interface CarouselWorld extends ProgrammeWorld {
	sessionId: string;
	stationIds: string[];
	aardvark: string;
	zebra: string;
}

/**
 * A Safety in Action-style carousel on 20 March 2030 with two workstations of 16 places:
 * Aardvark Primary holds 20 Year 6 places, Zebra Primary 12, and a third school's request
 * has no places yet.
 */
export async function makeCarouselSession(db: Kysely<DB>, registerKind: 'named' | 'headcount' = 'headcount', suffix = ''): Promise<CarouselWorld> {
	const world = await createLedProgramme(db, { shape: 'carousel', registerKind, yearGroups: ['Y5', 'Y6'] });
	const sessionId = await scheduleLeadSession(db, world, { yearGroups: ['Y5', 'Y6'], capacity: '64', rotationMinutes: '20' });
	const stations = [
		{ name: 'Fire safety', theme: 'Fire safety at home', places: '16' },
		{ name: 'Water safety', theme: 'Water and coastal safety', places: '16' }
	];
	const saved = await saveStations(db, world.lead, world.programmeId, sessionId, stations, '20');
	if (!saved.ok) throw new Error(`saveStations refused the test stations: ${JSON.stringify(saved)}`);
	const stationIds = (await db.selectFrom('station').select('id').where('session_id', '=', sessionId).orderBy('position').execute()).map((s) => s.id);
	const aardvark = await makeSchool(db, { name: `Aardvark Primary${suffix}`, phase: 'primary' });
	const zebra = await makeSchool(db, { name: `Zebra Primary${suffix}`, phase: 'primary' });
	const asking = await makeSchool(db, { name: `Middle Primary${suffix}`, phase: 'primary' });
	await makeBooking(db, { session_id: sessionId, school_id: aardvark.id, year_group: 'Y6', places: 20, created_by: world.lead.id });
	await makeBooking(db, { session_id: sessionId, school_id: zebra.id, year_group: 'Y6', places: 12, created_by: world.lead.id });
	await makeBooking(db, { session_id: sessionId, school_id: asking.id, year_group: 'Y6', places: 8, status: 'requested', created_by: world.lead.id });
	return { ...world, sessionId, stationIds, aardvark: aardvark.id, zebra: zebra.id };
}

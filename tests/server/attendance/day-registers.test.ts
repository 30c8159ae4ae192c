import { describe, expect, it } from 'vitest';
import { listDayRegisters } from '../../../src/lib/server/attendance/day-registers.service';
import { makeContact } from '../../support/booking-world';
import { makeCarouselSession } from '../../support/carousel-world';
import { useTestDatabase } from '../../support/database';
import { makeHeadcountSession } from '../../support/attendance-world';
import { auditEvents } from '../../support/factories';

const t = useTestDatabase();
// The worlds' sessions are on Wednesday 20 March 2030.
const DAY = '2030-03-20';

describe('a day’s registers to keep on a device', () => {
	it('lists a lead’s own programmes’ sessions of the day with every register each holds, and never another programme’s', async () => {
		const workshop = await makeHeadcountSession(t.db);
		const carousel = await makeCarouselSession(t.db);

		const mine = await listDayRegisters(t.db, workshop.lead, DAY);
		const theirs = await listDayRegisters(t.db, carousel.lead, DAY);

		expect(mine.map((s) => s.id)).toEqual([workshop.sessionId]);
		expect(mine[0]!.registers).toEqual([
			{
				key: `/sessions/${workshop.sessionId}/register`,
				kind: 'headcount',
				path: `/sessions/${workshop.sessionId}/register`,
				manifest: `/sessions/${workshop.sessionId}/register/counts/manifest.json`,
				title: 'Headcount'
			}
		]);
		expect(theirs.map((s) => s.id)).toEqual([carousel.sessionId]);
		expect(theirs[0]!.registers.map((r) => [r.kind, r.title])).toEqual([
			['headcount', 'Headcount'],
			['station', 'Fire safety workstation'],
			['station', 'Water safety workstation']
		]);
		expect(theirs[0]!.registers[1]!.manifest).toBe(`/sessions/${carousel.sessionId}/register/stations/${carousel.stationIds[0]}/manifest.json`);
		// An admin takes any register: both; another day holds none.
		expect((await listDayRegisters(t.db, workshop.admin, DAY)).map((s) => s.id).sort()).toEqual([workshop.sessionId, carousel.sessionId].sort());
		expect(await listDayRegisters(t.db, workshop.lead, '2030-03-21')).toEqual([]);
	});

	it('is a 404 for a school contact, audited', async () => {
		await makeHeadcountSession(t.db);
		const contact = await makeContact(t.db);

		await expect(listDayRegisters(t.db, contact, DAY)).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused')).map((e) => [e.actor_id, e.entity_type])).toEqual([[contact.id, 'session']]);
	});
});

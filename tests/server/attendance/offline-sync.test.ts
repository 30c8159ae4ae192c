import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getRegisterManifest, syncMarks } from '../../../src/lib/server/attendance/offline-sync.service';
import { saveMarks } from '../../../src/lib/server/attendance/attendance.service';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { makeNamedSession, makeYoungPeople, STARTED, storedMarks } from '../../support/attendance-world';
import { auditEvents } from '../../support/factories';

const t = useTestDatabase();
const at = (minutes: number) => new Date(STARTED.getTime() + minutes * 60_000);

async function versions(sessionId: string) {
	const rows = await t.db.selectFrom('attendance_mark').select(['young_person_id', 'status', 'version']).where('session_id', '=', sessionId).execute();
	return new Map(rows.map((r) => [r.young_person_id, { status: r.status, version: r.version }]));
}

async function world(count = 3) {
	const w = await makeNamedSession(t.db);
	const people = await makeYoungPeople(t.db, w.schoolId, 'Y8', count, 'Kept');
	return { ...w, people };
}

describe('a register kept on a device', () => {
	it('downloads as a manifest: each young person with their school, mark and the mark’s version', async () => {
		const w = await world(2);
		await saveMarks(t.db, w.lead, w.sessionId, [{ youngPersonId: w.people[0]!.id, status: 'late', basedOn: null }], at(1));

		const manifest = await getRegisterManifest(t.db, w.lead, w.sessionId, at(2));

		expect(manifest.sessionId).toBe(w.sessionId);
		expect(manifest.labels.present).toBe('Present');
		expect(manifest.rows).toHaveLength(2);
		const row = manifest.rows.find((r) => r.id === w.people[0]!.id);
		expect(row).toMatchObject({ status: 'late', version: 1, school: expect.stringMatching(/^Test School/), name: expect.stringContaining('Kept') });
		expect(manifest.rows.find((r) => r.id === w.people[1]!.id)).toMatchObject({ status: null, version: null });
	});

	it('applies a change sent twice once, and answers the re-send with the first outcome', async () => {
		const w = await world();
		const batch = {
			changes: w.people.map((p, i) => ({ clientId: randomUUID(), youngPersonId: p.id, status: i === 0 ? 'late' : 'present', basedOn: null }))
		};

		const first = await syncMarks(t.db, w.lead, w.sessionId, batch, at(1));
		// The answer was lost: the device sends the same queue again, later.
		const again = await syncMarks(t.db, w.lead, w.sessionId, batch, at(2));

		expect(first).toMatchObject({ ok: true, sent: 3, conflicts: [] });
		expect(first.ok && first.results.every((r) => r.outcome === 'saved' && !r.repeated)).toBe(true);
		expect(again).toMatchObject({ ok: true, sent: 0, conflicts: [] });
		expect(again.ok && again.results.map((r) => [r.clientId, r.outcome, r.repeated])).toEqual(batch.changes.map((c) => [c.clientId, 'saved', true]));
		const stored = await versions(w.sessionId);
		expect(stored.get(w.people[0]!.id)).toEqual({ status: 'late', version: 1 });
		expect([...stored.values()].every((m) => m.version === 1)).toBe(true);
		expect(await auditEvents(t.db, 'attendance.marked')).toHaveLength(3);
		// A batch holding an applied change and a new one: only the new one is applied.
		const mixed = { changes: [batch.changes[0]!, { clientId: randomUUID(), youngPersonId: w.people[1]!.id, status: 'left_early', basedOn: 1 }] };
		expect(await syncMarks(t.db, w.lead, w.sessionId, mixed, at(3))).toMatchObject({ ok: true, sent: 1 });
		expect((await versions(w.sessionId)).get(w.people[1]!.id)).toEqual({ status: 'left_early', version: 2 });
		expect((await versions(w.sessionId)).get(w.people[0]!.id)).toEqual({ status: 'late', version: 1 });
	});

	it('refuses a client id sent again with a different change, saves nothing of the batch and audits it', async () => {
		const w = await world();
		const clientId = randomUUID();
		await syncMarks(t.db, w.lead, w.sessionId, { changes: [{ clientId, youngPersonId: w.people[0]!.id, status: 'present', basedOn: null }] }, at(1));

		const reused = await syncMarks(
			t.db,
			w.lead,
			w.sessionId,
			{
				changes: [
					{ clientId: randomUUID(), youngPersonId: w.people[1]!.id, status: 'present', basedOn: null },
					{ clientId, youngPersonId: w.people[0]!.id, status: 'absent_unknown', basedOn: 1 }
				]
			},
			at(2)
		);

		expect(reused).toMatchObject({ ok: false, code: 'refused', reason: 'client_id_reused', message: expect.stringContaining('reload the register') });
		expect(await storedMarks(t.db, w.sessionId)).toEqual([expect.objectContaining({ young_person_id: w.people[0]!.id, status: 'present' })]);
		expect(await auditEvents(t.db, 'attendance.save_refused')).toEqual([
			expect.objectContaining({ actor_id: w.lead.id, entity_id: w.sessionId, detail: { reason: 'client_id_reused', changes: 2, offline: true } })
		]);
		// Within one batch too: one id, two different changes.
		const dup = randomUUID();
		const twice = await syncMarks(
			t.db,
			w.lead,
			w.sessionId,
			{
				changes: [
					{ clientId: dup, youngPersonId: w.people[1]!.id, status: 'late', basedOn: null },
					{ clientId: dup, youngPersonId: w.people[2]!.id, status: 'late', basedOn: null }
				]
			},
			at(3)
		);
		expect(twice).toMatchObject({ ok: false, reason: 'client_id_reused' });
		expect(await storedMarks(t.db, w.sessionId)).toHaveLength(1);
	});

	it('refuses a version from the future and someone not on the register, saving nothing, audited', async () => {
		const w = await world();
		const stranger = (await makeYoungPeople(t.db, w.schoolId, 'Y10', 1, 'Elsewhere'))[0]!;

		const future = await syncMarks(
			t.db,
			w.lead,
			w.sessionId,
			{
				changes: [
					{ clientId: randomUUID(), youngPersonId: w.people[0]!.id, status: 'present', basedOn: null },
					{ clientId: randomUUID(), youngPersonId: w.people[1]!.id, status: 'present', basedOn: 7 }
				]
			},
			at(1)
		);
		const notOn = await syncMarks(
			t.db,
			w.lead,
			w.sessionId,
			{ changes: [{ clientId: randomUUID(), youngPersonId: stranger.id, status: 'present', basedOn: null }] },
			at(2)
		);

		expect(future).toMatchObject({ ok: false, code: 'refused', reason: 'future_version', message: expect.stringContaining('never had') });
		expect(notOn).toMatchObject({ ok: false, code: 'refused', reason: 'not_on_register' });
		expect(await storedMarks(t.db, w.sessionId)).toEqual([]);
		expect(await t.db.selectFrom('attendance_client_change').select('client_id').execute()).toEqual([]);
		expect((await auditEvents(t.db, 'attendance.save_refused')).map((e) => (e.detail as { reason: string }).reason)).toEqual([
			'future_version',
			'not_on_register'
		]);
	});

	it('refuses a batch it cannot read, audited', async () => {
		const w = await world();

		const bad = await syncMarks(
			t.db,
			w.lead,
			w.sessionId,
			{ changes: [{ clientId: 'not-a-uuid', youngPersonId: w.people[0]!.id, status: 'present', basedOn: null }] },
			at(1)
		);

		expect(bad).toMatchObject({ ok: false, reason: 'invalid_batch' });
		expect(await syncMarks(t.db, w.lead, w.sessionId, undefined, at(1))).toMatchObject({ ok: false, reason: 'invalid_batch' });
		expect(await auditEvents(t.db, 'attendance.save_refused')).toHaveLength(2);
	});

	it('is a 404 for another programme’s lead, for the manifest and the changes, and audits the attempt', async () => {
		const w = await world();
		const otherLead = (await createLedProgramme(t.db, { registerKind: 'named' })).lead;

		await expect(getRegisterManifest(t.db, otherLead, w.sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(
			syncMarks(
				t.db,
				otherLead,
				w.sessionId,
				{ changes: [{ clientId: randomUUID(), youngPersonId: w.people[0]!.id, status: 'present', basedOn: null }] },
				at(1)
			)
		).rejects.toMatchObject({ status: 404 });

		expect((await auditEvents(t.db, 'access.refused')).map((e) => [e.actor_id, e.entity_id])).toEqual([
			[otherLead.id, w.sessionId],
			[otherLead.id, w.sessionId]
		]);
		expect(await storedMarks(t.db, w.sessionId)).toEqual([]);
	});

	it('returns a conflict, not an overwrite, when someone else changed the mark since the device downloaded it', async () => {
		const w = await world(2);
		await saveMarks(t.db, w.lead, w.sessionId, [{ youngPersonId: w.people[0]!.id, status: 'present', basedOn: null }], at(1));
		// The device downloaded version 1; meanwhile the admin at the desk marks them late.
		await saveMarks(t.db, w.admin, w.sessionId, [{ youngPersonId: w.people[0]!.id, status: 'late', basedOn: 1 }], at(2));
		const clientId = randomUUID();
		const batch = {
			changes: [
				{ clientId, youngPersonId: w.people[0]!.id, status: 'absent_authorised', basedOn: 1 },
				{ clientId: randomUUID(), youngPersonId: w.people[1]!.id, status: 'present', basedOn: null }
			]
		};

		const result = await syncMarks(t.db, w.lead, w.sessionId, batch, at(3));

		expect(result).toMatchObject({
			ok: true,
			sent: 1,
			conflicts: [{ youngPersonId: w.people[0]!.id, theirs: 'late', yours: 'absent_authorised', version: 2 }]
		});
		expect(result.ok && result.results.find((r) => r.clientId === clientId)).toMatchObject({ outcome: 'conflict', repeated: false });
		expect((await versions(w.sessionId)).get(w.people[0]!.id)).toEqual({ status: 'late', version: 2 });
		// Sent again, it is still a conflict, and still not applied.
		const again = await syncMarks(t.db, w.lead, w.sessionId, batch, at(4));
		expect(again.ok && again.results.map((r) => [r.outcome, r.repeated])).toEqual([
			['conflict', true],
			['saved', true]
		]);
		expect((await versions(w.sessionId)).get(w.people[0]!.id)).toEqual({ status: 'late', version: 2 });
	});
});

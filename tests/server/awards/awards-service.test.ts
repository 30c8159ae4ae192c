import { describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import {
	addParticipant,
	createAwardGroup,
	getAwardGroup,
	getAwardLabels,
	logAwardDay,
	participantCertificateFor,
	saveAwardLabels,
	signOffAward
} from '../../../src/lib/server/awards/awards.service';
import type { DB } from '../../../src/lib/server/db/schema';
import { reportFiguresChanged } from '../../../src/lib/server/reports/rollups';
import { makeYoungPeople } from '../../support/attendance-world';
import { createLedProgramme, type ProgrammeWorld } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor, makeSchool } from '../../support/factories';

// The real rebuild needs the app server; here, only whether a service asked for one.
vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();
const NOW = new Date('2019-07-01T12:00:00Z');
const ALL = ['discover', 'explore', 'conserve', 'share'];

/** An award programme with a group and one young person, enrolled, working towards Discovery. */
async function makeAwardWorld(db: Kysely<DB>) {
	const world: ProgrammeWorld = await createLedProgramme(db, { shape: 'award', registerKind: 'named', yearGroups: ['Y8'] });
	const school = await makeSchool(db);
	const [person] = await makeYoungPeople(db, school.id, 'Y8', 1, 'Zanzibar');
	await db
		.insertInto('enrolment')
		.values({ programme_id: world.programmeId, young_person_id: person!.id, role: 'participant', stage: 'active', started_on: '2019-04-01' })
		.execute();
	const group = await createAwardGroup(db, world.lead, world.programmeId, {
		name: 'Samphire Hoe Rangers',
		leaderName: 'Ann Leader',
		trustReference: 'JMT-1234'
	});
	if (!group.ok) throw new Error(JSON.stringify(group));
	const participant = await addParticipant(db, world.lead, world.programmeId, group.id, { youngPersonId: person!.id, level: 'discovery' });
	if (!participant.ok) throw new Error(JSON.stringify(participant));
	return { ...world, groupId: group.id, participantId: participant.id, person: person! };
}

async function logDays(db: Kysely<DB>, w: Awaited<ReturnType<typeof makeAwardWorld>>, dates: string[], challenges = ALL) {
	for (const day of dates) {
		const result = await logAwardDay(db, w.lead, w.programmeId, w.groupId, w.participantId, { day, challenges }, NOW);
		expect(result.ok).toBe(true);
	}
}

describe('award groups', () => {
	it('asks for a name, and refuses a second group of the same name', async () => {
		const w = await makeAwardWorld(t.db);
		expect(await createAwardGroup(t.db, w.lead, w.programmeId, { name: ' ', leaderName: '', trustReference: '' })).toEqual({
			ok: false,
			code: 'invalid',
			errors: { name: 'Enter a name for the group' }
		});
		expect(await createAwardGroup(t.db, w.lead, w.programmeId, { name: 'samphire hoe rangers', leaderName: '', trustReference: '' })).toEqual({
			ok: false,
			code: 'invalid',
			errors: { name: 'A group with this name already exists' }
		});
	});

	it("gives another programme's lead and a school contact a 404, and audits the refusal", async () => {
		const w = await makeAwardWorld(t.db);
		const other = await createLedProgramme(t.db, { shape: 'award' });
		const contact = await makeActor(t.db, { role: 'school' });
		for (const actor of [other.lead, contact]) {
			await expect(getAwardGroup(t.db, actor, w.programmeId, w.groupId, NOW)).rejects.toMatchObject({ status: 404 });
			await expect(signOffAward(t.db, actor, w.programmeId, w.groupId, w.participantId, '', NOW)).rejects.toMatchObject({ status: 404 });
		}
		// The group reached through the other lead's own programme is not there either.
		await expect(getAwardGroup(t.db, other.lead, other.programmeId, w.groupId, NOW)).rejects.toMatchObject({ status: 404 });
		expect((await auditEvents(t.db, 'access.refused')).length).toBeGreaterThanOrEqual(5);
	});

	it('only adds young people enrolled in or registered at the programme', async () => {
		const w = await makeAwardWorld(t.db);
		const [stranger] = await makeYoungPeople(t.db, (await makeSchool(t.db)).id, 'Y8', 1, 'Stranger');
		expect(await addParticipant(t.db, w.lead, w.programmeId, w.groupId, { youngPersonId: stranger!.id, level: 'explorer' })).toEqual({
			ok: false,
			code: 'invalid',
			errors: { youngPersonId: 'Select a young person from the list' }
		});
	});
});

describe('signing off an award', () => {
	it('refuses with the rules’ problems when the days fall short, and saves nothing', async () => {
		const w = await makeAwardWorld(t.db);
		await logDays(t.db, w, ['2019-05-01', '2019-05-02', '2019-05-03'], ['discover', 'explore', 'conserve']);
		const result = await signOffAward(t.db, w.lead, w.programmeId, w.groupId, w.participantId, '', NOW);
		expect(result).toEqual({
			ok: false,
			code: 'refused',
			reason: 'not_eligible',
			message: ['4 days are needed; 3 are logged', 'Every challenge must be met at least once; not yet: Share'].join('\n')
		});
		const row = await t.db
			.selectFrom('award_participant')
			.select(['signed_off_by', 'signed_off_at', 'achieved_on'])
			.where('id', '=', w.participantId)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ signed_off_by: null, signed_off_at: null, achieved_on: null });
		expect(await auditEvents(t.db, 'award.signed_off')).toEqual([]);
		await expect(participantCertificateFor(t.db, w.lead, w.programmeId, w.groupId, w.participantId)).rejects.toMatchObject({ status: 404 });
	});

	it('records who signed off and the date achieved once the days are enough', async () => {
		const w = await makeAwardWorld(t.db);
		await logDays(t.db, w, ['2019-05-01', '2019-05-02', '2019-05-03', '2019-05-04']);
		expect(await signOffAward(t.db, w.lead, w.programmeId, w.groupId, w.participantId, '2019-06-01', NOW)).toEqual({ ok: true });
		const row = await t.db.selectFrom('award_participant').select(['signed_off_by', 'achieved_on']).where('id', '=', w.participantId).executeTakeFirstOrThrow();
		expect(row).toEqual({ signed_off_by: w.lead.id, achieved_on: '2019-06-01' });
		expect(await signOffAward(t.db, w.lead, w.programmeId, w.groupId, w.participantId, '', NOW)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'already_signed_off',
			message: 'This award has already been signed off'
		});
		const group = await getAwardGroup(t.db, w.lead, w.programmeId, w.groupId, NOW);
		expect(group.participants[0]).toMatchObject({ achievedOn: '2019-06-01', check: { eligible: true }, challengesMet: ALL });
	});

	it('refuses a date achieved in the future', async () => {
		const w = await makeAwardWorld(t.db);
		await logDays(t.db, w, ['2019-05-01', '2019-05-02', '2019-05-03', '2019-05-04']);
		expect(await signOffAward(t.db, w.lead, w.programmeId, w.groupId, w.participantId, '2019-07-02', NOW)).toEqual({
			ok: false,
			code: 'refused',
			reason: 'invalid_date',
			message: 'The date achieved must be a real date, today or in the past'
		});
	});

	it('asks for the report figures to be rebuilt after each day logged and each sign-off, and not after a refusal', async () => {
		const w = await makeAwardWorld(t.db);
		vi.mocked(reportFiguresChanged).mockClear();
		await logDays(t.db, w, ['2019-05-01', '2019-05-02', '2019-05-03']);
		expect(reportFiguresChanged).toHaveBeenCalledTimes(3);
		expect((await signOffAward(t.db, w.lead, w.programmeId, w.groupId, w.participantId, '', NOW)).ok).toBe(false);
		expect((await logAwardDay(t.db, w.lead, w.programmeId, w.groupId, w.participantId, { day: '', challenges: ALL }, NOW)).ok).toBe(false);
		expect(reportFiguresChanged).toHaveBeenCalledTimes(3);
		await logDays(t.db, w, ['2019-05-04']);
		expect(await signOffAward(t.db, w.lead, w.programmeId, w.groupId, w.participantId, '', NOW)).toEqual({ ok: true });
		expect(reportFiguresChanged).toHaveBeenCalledTimes(5);
	});

	it('uses the programme’s own labels for the levels', async () => {
		const w = await makeAwardWorld(t.db);
		expect(await getAwardLabels(t.db, w.lead, w.programmeId)).toEqual({ discovery: 'Discovery', explorer: 'Explorer', conserver: 'Conserver' });
		expect(await saveAwardLabels(t.db, w.lead, w.programmeId, { discovery: 'Bronze', explorer: 'Silver', conserver: 'Gold' })).toMatchObject({ ok: true });
		expect(await getAwardLabels(t.db, w.lead, w.programmeId)).toEqual({ discovery: 'Bronze', explorer: 'Silver', conserver: 'Gold' });
	});

	it('never writes a young person’s name into the audit log', async () => {
		const w = await makeAwardWorld(t.db);
		await logDays(t.db, w, ['2019-05-01', '2019-05-02', '2019-05-03', '2019-05-04']);
		await signOffAward(t.db, w.lead, w.programmeId, w.groupId, w.participantId, '', NOW);
		await participantCertificateFor(t.db, w.lead, w.programmeId, w.groupId, w.participantId);
		const events = await auditEvents(t.db);
		expect(events.map((e) => e.action)).toEqual(
			expect.arrayContaining(['award.group_created', 'award.participant_added', 'award.day_logged', 'award.signed_off', 'award.certificate_issued'])
		);
		const text = JSON.stringify(events);
		expect(text).not.toContain(w.person.first_name);
		expect(text).not.toContain(w.person.last_name);
	});
});

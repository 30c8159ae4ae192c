import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/lib/server/db/schema';
import { makeActor, makeBooking, makeProgramme, makeSchool, makeSession } from './factories';
import { makeYoungPerson } from './young-people-world';

/**
 * A young person with a history in every room: marks at a session, an enrolment, a mentoring
 * pair with a meeting (whose note names them), award progress, a named questionnaire, and their
 * name where nothing should hold it but something might (an audit detail, an email, a booking's
 * note). Their names are unusual so a search for them finds only them.
 */
export async function makePersonWithHistory(db: Kysely<DB>, options: { sessionStart?: Date; firstName?: string; lastName?: string } = {}) {
	const firstName = options.firstName ?? 'Zebedee';
	const lastName = options.lastName ?? 'Quillfeather';
	const school = await makeSchool(db);
	const admin = await makeActor(db, { role: 'admin' });
	const contact = await makeActor(db, { role: 'school', schoolId: school.id });
	const person = await makeYoungPerson(db, {
		school_id: school.id,
		first_name: firstName,
		last_name: lastName,
		reception_year: 2014,
		gender: 'male',
		sen: true,
		free_school_meals: true
	});
	const mentor = await makeYoungPerson(db, { school_id: school.id, first_name: 'Ottoline', last_name: 'Brackenbury', reception_year: 2009 });
	const startsAt = options.sessionStart ?? new Date('2022-03-10T10:00:00Z');
	const programme = await makeProgramme(db, { shape: 'cohort', register_kind: 'named' });
	const session = await makeSession(db, { programme_id: programme.id, starts_at: startsAt, status: 'completed' });
	await makeBooking(db, { session_id: session.id, school_id: school.id, access_needs: `${firstName} ${lastName} needs a quiet room`, created_by: admin.id });
	await db.insertInto('attendance_mark').values({ session_id: session.id, young_person_id: person.id, status: 'present', recorded_by: admin.id }).execute();
	await db
		.insertInto('enrolment')
		.values({ programme_id: programme.id, young_person_id: person.id, role: 'mentee', stage: 'completed', started_on: '2021-09-20', ended_on: '2022-06-30' })
		.execute();
	await db
		.insertInto('enrolment')
		.values({ programme_id: programme.id, young_person_id: mentor.id, role: 'mentor', stage: 'completed', started_on: '2021-09-20', ended_on: '2022-06-30' })
		.execute();
	const cohort = await db.insertInto('mentoring_cohort').values({ programme_id: programme.id, academic_year: 2021 }).returning('id').executeTakeFirstOrThrow();
	const pair = await db
		.insertInto('mentoring_pair')
		.values({ cohort_id: cohort.id, mentor_id: mentor.id, mentee_id: person.id, ended_on: '2022-06-30' })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('mentoring_meeting')
		.values({
			pair_id: pair.id,
			met_on: '2022-02-01',
			minutes: 45,
			topics: ['gangs'],
			note: `${firstName} talked about school; ${lastName.toUpperCase()} family moving`,
			recorded_by: admin.id
		})
		.execute();
	const awardProgramme = await makeProgramme(db, { shape: 'award', register_kind: 'named' });
	const group = await db.insertInto('award_group').values({ programme_id: awardProgramme.id, name: 'Spring group' }).returning('id').executeTakeFirstOrThrow();
	const participant = await db
		.insertInto('award_participant')
		.values({
			award_group_id: group.id,
			young_person_id: person.id,
			level: 'discovery',
			signed_off_by: admin.id,
			signed_off_at: new Date('2022-05-01T10:00:00Z'),
			achieved_on: '2022-05-01'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	for (const day of ['2022-04-01', '2022-04-08', '2022-04-15', '2022-04-22']) {
		await db
			.insertInto('award_day')
			.values({ award_participant_id: participant.id, day, challenges: ['discover', 'explore'], recorded_by: admin.id })
			.execute();
	}
	const questionnaire = await db
		.insertInto('outcome_questionnaire')
		.values({
			programme_id: programme.id,
			school_id: school.id,
			young_person_id: person.id,
			moment: 'before',
			answered_on: '2021-09-21',
			academic_year: 2021,
			entered_by: admin.id
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const question = await db
		.insertInto('outcome_question')
		.values({ programme_id: programme.id, position: 1, wording: 'I know where to get help' })
		.returning('id')
		.executeTakeFirstOrThrow();
	await db.insertInto('outcome_answer').values({ questionnaire_id: questionnaire.id, question_id: question.id, score: 3 }).execute();
	await db
		.insertInto('audit_event')
		.values({
			actor_id: admin.id,
			action: 'note.added',
			entity_type: 'young_person',
			entity_id: person.id,
			detail: JSON.stringify({ note: `Spoke to ${firstName}'s parent`, who: `${lastName}, ${firstName}` })
		})
		.execute();
	await db
		.insertInto('outbox_message')
		.values({
			to_address: contact.email,
			subject: `About ${firstName} ${lastName}`,
			body_text: `Dear colleague,\n${firstName} ${lastName} completed the programme.`,
			status: 'kept'
		})
		.execute();
	return { school, admin, contact, person, mentor, programme, awardProgramme, session, pair, participant, firstName, lastName };
}

/** Every row of every table in the public schema, as text: what "anywhere" means for a name. */
export async function everyRowAsText(db: Kysely<DB>): Promise<string> {
	const tables = await sql<{
		table_name: string;
	}>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
	const parts: string[] = [];
	for (const { table_name } of tables.rows) {
		const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(table_name)} t`.execute(db);
		parts.push(...rows.rows.map((r) => r.row));
	}
	return parts.join('\n');
}

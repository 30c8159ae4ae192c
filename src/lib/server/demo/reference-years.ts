import type { InsertObject, Transaction } from 'kysely';
import type { AttendanceStatus, AwardChallenge, AwardLevelCode, DB, MentoringTopic, YearGroup } from '../db/schema';
import { receptionYearFor, type PupilYearGroup } from '../young-people/young-people.schema';
import { addDays, fromLondon } from '../time';
import { demoStations } from './programmes-seed';

// The partnership plan's 2018-19 year, and a later year so trends have something to show,
// built from record-level rows: sessions, bookings, headcounts, named marks, enrolments,
// mentoring pairs and meetings, and award days with sign-offs. Nothing here writes a total:
// every figure a report shows is counted from these rows. The plan's own figures:
//   802 Year 8 pupils at the Youth Conference; 256 Year 6 pupils at Safety in Action Week,
//   each through 8 workstations; 15 mentors and about 300 mentees; 25 John Muir Awards;
//   6 Gang Awareness workshops; 14 students from Astor College in the arts project;
//   87 frontline professionals at Prevent awareness training (counted apart from young people).

export interface ReferenceYear {
	academicYear: number;
	conference: { date: string; capacity: number; attended: number; booked: number };
	carousel: { monday: string; pupils: number; schools: number; booked: number };
	mentoring: { launch: string; mentors: number; menteesPerMentor: number; withdrawn: number };
	awards: { firstDay: string; completed: Record<AwardLevelCode, number>; inProgress: number };
	workshops: { dates: string[]; parents: number[] };
	arts?: { firstDay: string; weeks: number; students: number };
	/** Prevent awareness training: a headcount of frontline professionals per session. */
	prevent?: { dates: string[]; professionals: number[] };
}

export const referenceYears: ReferenceYear[] = [
	{
		academicYear: 2018,
		conference: { date: '2019-03-14', capacity: 850, attended: 802, booked: 836 },
		carousel: { monday: '2019-06-17', pupils: 256, schools: 16, booked: 268 },
		mentoring: { launch: '2018-09-20', mentors: 15, menteesPerMentor: 20, withdrawn: 9 },
		awards: { firstDay: '2018-10-06', completed: { discovery: 15, explorer: 7, conserver: 3 }, inProgress: 4 },
		workshops: { dates: ['2018-10-09', '2018-11-13', '2019-01-15', '2019-02-26', '2019-04-30', '2019-06-11'], parents: [14, 9, 17, 11, 8, 12] },
		arts: { firstDay: '2019-02-07', weeks: 6, students: 14 },
		prevent: { dates: ['2018-11-20', '2019-01-29', '2019-03-26', '2019-06-25'], professionals: [24, 21, 22, 20] }
	},
	{
		academicYear: 2019,
		conference: { date: '2020-03-05', capacity: 900, attended: 846, booked: 880 },
		carousel: { monday: '2020-06-15', pupils: 288, schools: 18, booked: 297 },
		mentoring: { launch: '2019-09-19', mentors: 16, menteesPerMentor: 20, withdrawn: 12 },
		awards: { firstDay: '2019-10-05', completed: { discovery: 18, explorer: 9, conserver: 4 }, inProgress: 5 },
		workshops: {
			dates: ['2019-10-08', '2019-11-12', '2020-01-14', '2020-02-25', '2020-06-09', '2020-07-07', '2020-07-14'],
			parents: [12, 15, 10, 13, 9, 16, 11]
		}
	}
];

export const referenceArtsSchool = 'Astor College';

/** A small seeded generator, so the demo is the same on every machine. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `total` shared out in proportion to `weights`, by largest remainder, so the parts add up exactly. */
export function shareOut(total: number, weights: readonly number[]): number[] {
	const sum = weights.reduce((a, b) => a + b, 0);
	const exact = weights.map((w) => (total * w) / sum);
	const parts = exact.map(Math.floor);
	const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
	const left = total - parts.reduce((a, b) => a + b, 0);
	for (let k = 0; k < left; k++) parts[order[k]![1]]! += 1;
	return parts;
}

// A list of names reads best as a paragraph.
// prettier-ignore
const firstNames = [
	'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Sophia', 'Grace', 'Freya', 'Chloé', 'Zoë', 'Aoife', 'Niamh',
	'Maja', 'Zofia', 'Amira', 'Priya', 'Ellie-May', 'Noah', 'Oliver', 'George', 'Arthur', 'Leo', 'Muhammad', 'Harry', 'Oscar', 'Jack',
	'Charlie', 'Jacob', 'Thomas', 'Kacper', 'Tomás', 'Rhys', 'Dylan', 'Kai', 'Reuben', 'Ethan', 'Joshua'
];
// prettier-ignore
const lastNames = [
	'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson', 'Evans',
	'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', "O'Brien", 'Nowak', 'Kowalski', 'Hussain', 'Ahmed',
	'Baker', 'Harris', 'Lewis-Hunt', 'Martin', 'Cooper', 'King', 'Lee', 'Allen', 'Scott', 'Young', 'Mitchell', 'Kelly', 'Ward', 'Turner'
];

interface Ids {
	leadId: string;
	adminId: string;
	schoolIds: Map<string, string>;
	/** Secondary schools first (in the file's order), then primary schools. */
	secondary: string[];
	primary: string[];
	programmeIds: Map<string, string>;
}

type Trx = Transaction<DB>;

async function insertInChunks<T extends keyof DB & string>(trx: Trx, table: T, rows: readonly InsertObject<DB, T>[]): Promise<void> {
	for (let i = 0; i < rows.length; i += 1000) {
		await trx
			.insertInto(table)
			.values(rows.slice(i, i + 1000))
			.execute();
	}
}

/** Seeds every reference year. The schools are the demo district's; the programmes are the plan's. */
export async function seedReferenceYears(trx: Trx, ids: Ids): Promise<void> {
	const questions = await trx
		.insertInto('outcome_question')
		.values(
			conferenceQuestions.map((wording, i) => ({
				programme_id: ids.programmeIds.get('Youth Conference')!,
				position: i + 1,
				wording,
				created_at: fromLondon('2018-09-03')
			}))
		)
		.returning('id')
		.execute();
	for (const year of referenceYears)
		await seedReferenceYear(
			trx,
			ids,
			year,
			questions.map((q) => q.id)
		);
}

/** The Youth Conference's before-and-after statements, on a 1 to 5 agreement scale. */
export const conferenceQuestions = [
	'I know who to tell if something online makes me feel unsafe',
	'I can tell when someone is trying to get me to carry or sell drugs',
	'I know where to get help about gangs and county lines'
];
/** How many at each year's conference filled in the paper questionnaire before and after. */
export const CONFERENCE_QUESTIONNAIRES = 160;

async function seedReferenceYear(trx: Trx, ids: Ids, year: ReferenceYear, conferenceQuestionIds: string[]): Promise<void> {
	const next = random(year.academicYear);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
	const programme = (name: string) => ids.programmeIds.get(name)!;

	const session = async (
		programmeName: string,
		date: string,
		times: [string, string],
		venue: string,
		capacity: number,
		yearGroups: YearGroup[],
		extra: { rotation_minutes?: number } = {}
	): Promise<string> => {
		const startsAt = fromLondon(date, times[0]);
		const { id } = await trx
			.insertInto('programme_session')
			.values({
				programme_id: programme(programmeName),
				starts_at: startsAt,
				ends_at: fromLondon(date, times[1]),
				venue,
				capacity,
				booking_opens_at: fromLondon(addDays(date, -60)),
				booking_closes_at: fromLondon(addDays(date, -2)),
				year_groups: yearGroups,
				status: 'completed',
				rotation_minutes: extra.rotation_minutes ?? null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		return id;
	};
	const booking = (sessionId: string, schoolId: string, yearGroup: YearGroup, places: number, at: string) => ({
		session_id: sessionId,
		school_id: schoolId,
		year_group: yearGroup,
		places,
		confirmed_places: places,
		status: 'confirmed' as const,
		contact_name: 'School office',
		contact_phone: '01304 000000',
		created_by: ids.adminId,
		// The school's own booking, entered for it: it gives the programme's leads their reach.
		on_behalf: false,
		queued_at: fromLondon(at, '10:00'),
		created_at: fromLondon(at, '10:00')
	});
	const headcount = (sessionId: string, schoolId: string, yearGroup: YearGroup, count: number, date: string) => ({
		session_id: sessionId,
		school_id: schoolId,
		year_group: yearGroup,
		count,
		recorded_by: ids.leadId,
		recorded_at: fromLondon(date, '16:00')
	});
	const youngPeople = async (schoolId: string, yearGroup: PupilYearGroup, n: number): Promise<string[]> => {
		if (n === 0) return [];
		const rows = Array.from({ length: n }, () => ({
			school_id: schoolId,
			first_name: pick(firstNames),
			last_name: pick(lastNames),
			reception_year: receptionYearFor(yearGroup, year.academicYear),
			created_at: fromLondon(`${year.academicYear}-09-05`, '09:00')
		}));
		return (await trx.insertInto('young_person').values(rows).returning('id').execute()).map((r) => r.id);
	};
	const marks = (sessionId: string, date: string, people: readonly string[], absentEvery = 0) =>
		people.map((youngPersonId, i) => ({
			session_id: sessionId,
			young_person_id: youngPersonId,
			status: (absentEvery > 0 && i % absentEvery === absentEvery - 1
				? i % 2
					? 'absent_authorised'
					: 'absent_unauthorised'
				: i % 11 === 5
					? 'late'
					: 'present') as AttendanceStatus,
			recorded_by: ids.leadId,
			recorded_at: fromLondon(date, '16:00')
		}));
	const enrol = (
		programmeName: string,
		people: readonly string[],
		role: 'participant' | 'mentor' | 'mentee',
		startedOn: string,
		endedOn: string,
		withdrawn = new Set<number>()
	) =>
		people.map((youngPersonId, i) => ({
			programme_id: programme(programmeName),
			young_person_id: youngPersonId,
			role,
			stage: withdrawn.has(i) ? ('withdrawn' as const) : ('completed' as const),
			started_on: startedOn,
			ended_on: withdrawn.has(i) ? addDays(startedOn, 60 + i) : endedOn
		}));
	const yearEnd = `${year.academicYear + 1}-07-19`;

	// Youth Conference: every secondary school books places for Year 8; a headcount per school.
	{
		const { date, capacity, attended, booked } = year.conference;
		const id = await session('Youth Conference', date, ['09:00', '15:00'], 'Dover Town Hall (Maison Dieu)', capacity, ['Y8']);
		const weights = ids.secondary.map((_, i) => 60 + ((i * 37) % 50));
		const came = shareOut(attended, weights);
		const places = shareOut(booked, weights).map((p, i) => Math.max(p, came[i]!));
		await insertInChunks(
			trx,
			'booking',
			ids.secondary.map((school, i) => booking(id, school, 'Y8', places[i]!, addDays(date, -50 + i)))
		);
		await insertInChunks(
			trx,
			'attendance_headcount',
			ids.secondary.map((school, i) => headcount(id, school, 'Y8', came[i]!, date))
		);
		// A sample of pupils answered the paper questionnaire at the start and the end of the day,
		// anonymously, with a code of their own to match the two; the lead typed them in.
		const questionnaires = Array.from({ length: CONFERENCE_QUESTIONNAIRES }, (_, i) => ({
			code: `C${year.academicYear % 100}${String(i).padStart(4, '0')}`,
			school: ids.secondary[i % ids.secondary.length]!
		}));
		for (const moment of ['before', 'after'] as const) {
			const rows = await trx
				.insertInto('outcome_questionnaire')
				.values(
					questionnaires.map((q) => ({
						programme_id: programme('Youth Conference'),
						session_id: id,
						school_id: q.school,
						matching_code: q.code,
						moment,
						answered_on: date,
						academic_year: year.academicYear,
						entered_by: ids.leadId,
						created_at: fromLondon(date, '17:00')
					}))
				)
				.returning('id')
				.execute();
			await insertInChunks(
				trx,
				'outcome_answer',
				rows.flatMap((row, i) =>
					conferenceQuestionIds.map((questionId, k) => {
						const before = 2 + ((i + k) % 3 === 0 ? 1 : 0) - (i % 7 === 0 ? 1 : 0);
						const gain = [0, 1, 1, 2, 1, 0, 2][(i + k * 2) % 7]!;
						return { questionnaire_id: row.id, question_id: questionId, score: moment === 'before' ? before : Math.min(5, before + gain) };
					})
				)
			);
		}
	}

	// Safety in Action Week: ten half-day slots; each booked primary school brings one Year 6
	// class, which goes through all eight workstations.
	{
		const { monday, pupils, schools, booked } = year.carousel;
		const chosen = ids.primary.slice(0, schools);
		const weights = chosen.map((_, i) => 12 + ((i * 5) % 9));
		const came = shareOut(pupils, weights);
		const places = shareOut(booked, weights).map((p, i) => Math.max(p, came[i]!));
		const slots: string[] = [];
		for (let d = 0; d < 5; d++) {
			for (const times of [
				['09:15', '11:45'],
				['12:45', '15:15']
			] as [string, string][]) {
				slots.push(await session('Safety in Action Week', addDays(monday, d), times, 'Betteshanger Country Park', 64, ['Y6'], { rotation_minutes: 15 }));
			}
		}
		await insertInChunks(
			trx,
			'station',
			slots.flatMap((sessionId) => demoStations.map((station, position) => ({ ...station, position, places: 16, session_id: sessionId })))
		);
		const slotOf = (i: number) => slots[i % slots.length]!;
		await insertInChunks(
			trx,
			'booking',
			chosen.map((school, i) => booking(slotOf(i), school, 'Y6', places[i]!, addDays(monday, -70 + i)))
		);
		await insertInChunks(
			trx,
			'attendance_headcount',
			chosen.map((school, i) => headcount(slotOf(i), school, 'Y6', came[i]!, monday))
		);
		// Every class goes through all eight workstations: a count per station, as each station's lead keeps it.
		const stations = await trx.selectFrom('station').select(['id', 'session_id']).where('session_id', 'in', slots).execute();
		await insertInChunks(
			trx,
			'station_headcount',
			chosen.flatMap((school, i) =>
				stations
					.filter((st) => st.session_id === slotOf(i))
					.map((st) => ({
						session_id: st.session_id,
						station_id: st.id,
						school_id: school,
						year_group: 'Y6',
						count: came[i]!,
						recorded_by: ids.leadId,
						recorded_at: fromLondon(monday, '16:00')
					}))
			)
		);
	}

	// Peer Mentoring: sixth-formers from the secondary schools, each with up to 20 Year 8 and
	// 9 mentees from their own school; a launch session with a named register; meetings
	// through the year.
	{
		const { launch, mentors, menteesPerMentor, withdrawn } = year.mentoring;
		const sessionId = await session('Peer Mentoring Programme', launch, ['13:30', '15:30'], 'Canterbury Christ Church University, Broadstairs', 340, [
			'Y8',
			'Y9',
			'Y12',
			'Y13'
		]);
		const { id: cohortId } = await trx
			.insertInto('mentoring_cohort')
			.values({
				programme_id: programme('Peer Mentoring Programme'),
				academic_year: year.academicYear,
				max_mentees_per_mentor: menteesPerMentor,
				created_at: fromLondon(launch)
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const mentorIds: string[] = [];
		const menteeIds: string[] = [];
		const pairs: { cohort_id: string; mentor_id: string; mentee_id: string; created_at: Date; ended_on: string | null; end_reason: 'mentee_left' | null }[] =
			[];
		for (let m = 0; m < mentors; m++) {
			const school = ids.secondary[m % ids.secondary.length]!;
			const [mentor] = await youngPeople(school, m % 3 === 0 ? 'Y13' : 'Y12', 1);
			const mentees = [
				...(await youngPeople(school, 'Y8', Math.ceil(menteesPerMentor / 2))),
				...(await youngPeople(school, 'Y9', Math.floor(menteesPerMentor / 2)))
			];
			mentorIds.push(mentor!);
			for (const mentee of mentees) {
				const index = menteeIds.push(mentee) - 1;
				const ended = index % Math.floor((mentors * menteesPerMentor) / withdrawn) === 7;
				pairs.push({
					cohort_id: cohortId,
					mentor_id: mentor!,
					mentee_id: mentee,
					created_at: fromLondon(launch),
					ended_on: ended ? addDays(launch, 90) : null,
					end_reason: ended ? 'mentee_left' : null
				});
			}
		}
		const withdrawnMentees = new Set(pairs.flatMap((p, i) => (p.ended_on ? [i] : [])));
		await insertInChunks(trx, 'enrolment', [
			...enrol('Peer Mentoring Programme', mentorIds, 'mentor', launch, yearEnd),
			...enrol('Peer Mentoring Programme', menteeIds, 'mentee', launch, yearEnd, withdrawnMentees)
		]);
		await insertInChunks(trx, 'attendance_mark', marks(sessionId, launch, [...mentorIds, ...menteeIds], 25));
		const pairIds = (await trx.insertInto('mentoring_pair').values(pairs).returning(['id', 'ended_on']).execute()) as { id: string; ended_on: string | null }[];
		const topics: MentoringTopic[] = ['cse', 'cce', 'gangs', 'risk_taking', 'online_safety', 'wellbeing'];
		const meetings = pairIds.flatMap((pair, p) => {
			const count = pair.ended_on ? 2 : 5 + (p % 4);
			return Array.from({ length: count }, (_, k) => ({
				pair_id: pair.id,
				met_on: addDays(launch, 14 + k * 35 + (p % 9)),
				minutes: [30, 40, 45, 60][(p + k) % 4]!,
				topics: [topics[(p + k) % topics.length]!, ...(k % 3 === 0 ? [topics[(p + k + 2) % topics.length]!] : [])],
				note: null,
				recorded_by: ids.leadId,
				created_at: fromLondon(addDays(launch, 15 + k * 35 + (p % 9)))
			}));
		});
		await insertInChunks(trx, 'mentoring_meeting', meetings);
	}

	// John Muir Award: two groups meeting on Saturdays through the year; each participant's
	// days serve the Four Challenges in turn (half of them Conserve); completed awards are
	// signed off by the lead on the date achieved.
	{
		const { firstDay, completed, inProgress } = year.awards;
		const dates = Array.from({ length: 22 }, (_, k) => addDays(firstDay, k * 11));
		const sessionIds = new Map<string, string>();
		for (const date of dates) sessionIds.set(date, await session('John Muir Award', date, ['10:00', '15:00'], 'Samphire Hoe', 30, ['Y7', 'Y8', 'Y9', 'Y10']));
		const cycle: AwardChallenge[][] = [['discover'], ['explore', 'conserve'], ['conserve'], ['share']];
		const groups = [
			{
				name: `Samphire Hoe Rangers ${year.academicYear}-${String(year.academicYear + 1).slice(2)}`,
				leader: 'Jo Ranger',
				ref: `JMA-${year.academicYear}-0412`,
				schools: ids.secondary.slice(0, 3)
			},
			{
				name: `White Cliffs Explorers ${year.academicYear}-${String(year.academicYear + 1).slice(2)}`,
				leader: 'Sam Warden',
				ref: `JMA-${year.academicYear}-0538`,
				schools: ids.secondary.slice(3, 6)
			}
		];
		const plan: { level: AwardLevelCode; days: number; done: boolean }[] = [
			...(['discovery', 'explorer', 'conserver'] as const).flatMap((level) =>
				Array.from({ length: completed[level] }, () => ({ level, days: { discovery: 4, explorer: 8, conserver: 20 }[level], done: true }))
			),
			...Array.from({ length: inProgress }, (_, i) => ({ level: (i % 2 ? 'explorer' : 'discovery') as AwardLevelCode, days: i % 2 ? 5 : 2, done: false }))
		];
		const groupIds = [];
		for (const g of groups) {
			groupIds.push(
				(
					await trx
						.insertInto('award_group')
						.values({
							programme_id: programme('John Muir Award'),
							name: g.name,
							leader_name: g.leader,
							trust_reference: g.ref,
							created_at: fromLondon(firstDay)
						})
						.returning('id')
						.executeTakeFirstOrThrow()
				).id
			);
		}
		const attended = new Map<string, string[]>();
		const enrolled: string[] = [];
		for (const [i, p] of plan.entries()) {
			const g = i % 2;
			const [youngPersonId] = await youngPeople(groups[g]!.schools[i % 3]!, (['Y7', 'Y8', 'Y9', 'Y10'] as const)[i % 4]!, 1);
			enrolled.push(youngPersonId!);
			// Conserver spreads its 20 days over the whole year; the others take consecutive days.
			const days = p.level === 'conserver' ? dates.slice(0, 22).filter((_, k) => k % 11 !== 10) : dates.slice(i % 6, (i % 6) + p.days);
			const achievedOn = days.at(-1)!;
			const { id: participantId } = await trx
				.insertInto('award_participant')
				.values({
					award_group_id: groupIds[g]!,
					young_person_id: youngPersonId!,
					level: p.level,
					signed_off_by: p.done ? ids.leadId : null,
					signed_off_at: p.done ? fromLondon(achievedOn, '17:00') : null,
					achieved_on: p.done ? achievedOn : null,
					created_at: fromLondon(firstDay)
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('award_day')
				.values(
					days.map((day, k) => ({
						award_participant_id: participantId,
						day,
						challenges: cycle[k % 4]!,
						recorded_by: ids.leadId,
						created_at: fromLondon(day, '16:00')
					}))
				)
				.execute();
			for (const day of days) attended.set(day, [...(attended.get(day) ?? []), youngPersonId!]);
		}
		await insertInChunks(trx, 'enrolment', enrol('John Muir Award', enrolled, 'participant', firstDay, yearEnd));
		await insertInChunks(
			trx,
			'attendance_mark',
			[...attended].flatMap(([day, people]) => marks(sessionIds.get(day)!, day, people))
		);
	}

	// Gang Awareness workshops: evenings at a secondary school for parents and carers; a
	// headcount of parents per school, never a name.
	{
		const { dates, parents } = year.workshops;
		for (const [i, date] of dates.entries()) {
			const host = ids.secondary[(i * 3) % ids.secondary.length]!;
			const other = ids.secondary[(i * 3 + 1) % ids.secondary.length]!;
			const id = await session('Gang Awareness Workshops', date, ['18:00', '19:30'], 'School hall', 40, ['parents']);
			const [atHost, atOther] = shareOut(parents[i]!, [2, 1]);
			await insertInChunks(trx, 'booking', [
				booking(id, host, 'parents', atHost! + 2, addDays(date, -30)),
				booking(id, other, 'parents', atOther! + 1, addDays(date, -28))
			]);
			await insertInChunks(trx, 'attendance_headcount', [headcount(id, host, 'parents', atHost!, date), headcount(id, other, 'parents', atOther!, date)]);
			// The anonymous question before and after, answered by all but one parent: how
			// confident they are that they could spot the signs of gang involvement (1 to 5).
			const answered = parents[i]! - 1;
			const before = shareOut(answered, [4, 5, 3, 1, 0]);
			const after = shareOut(answered, [0, 1, 3, 5, 4]);
			await insertInChunks(trx, 'workshop_feedback', [
				...before.map((count, s) => ({
					session_id: id,
					moment: 'before' as const,
					score: s + 1,
					count,
					recorded_by: ids.leadId,
					recorded_at: fromLondon(date, '20:00')
				})),
				...after.map((count, s) => ({
					session_id: id,
					moment: 'after' as const,
					score: s + 1,
					count,
					recorded_by: ids.leadId,
					recorded_at: fromLondon(date, '20:00')
				}))
			]);
		}
	}

	// Prevent awareness training: afternoons for frontline professionals (school staff among
	// them, booked by their school); a headcount per school, never a name, and never among
	// the young people.
	if (year.prevent) {
		const { dates, professionals } = year.prevent;
		const schools = [...ids.secondary, ...ids.primary];
		for (const [i, date] of dates.entries()) {
			const from = [0, 1, 2, 3].map((k) => schools[(i * 5 + k * 7) % schools.length]!);
			const id = await session('Prevent Awareness Training', date, ['13:30', '16:00'], 'Dover District Council Offices, Whitfield', 30, ['professionals']);
			// Most come from three schools; a fourth sends one or two.
			const counts = shareOut(professionals[i]!, [5, 4, 3, 1]);
			await insertInChunks(
				trx,
				'booking',
				from.map((school, k) => booking(id, school, 'professionals', counts[k]! + 1, addDays(date, -21)))
			);
			await insertInChunks(
				trx,
				'attendance_headcount',
				from.map((school, k) => headcount(id, school, 'professionals', counts[k]!, date))
			);
		}
	}

	// Dover Smart Arts Project: 14 students from one school, weekly, with a named register.
	if (year.arts) {
		const { firstDay, weeks, students } = year.arts;
		const school = ids.schoolIds.get(referenceArtsSchool)!;
		const people = [...(await youngPeople(school, 'Y9', Math.ceil(students / 2))), ...(await youngPeople(school, 'Y10', Math.floor(students / 2)))];
		await insertInChunks(trx, 'enrolment', enrol('Dover Smart Arts Project', people, 'participant', firstDay, addDays(firstDay, 7 * (weeks - 1))));
		for (let w = 0; w < weeks; w++) {
			const date = addDays(firstDay, 7 * w);
			const id = await session('Dover Smart Arts Project', date, ['13:00', '15:30'], 'Astor College art studio', 14, ['Y9', 'Y10']);
			await insertInChunks(trx, 'attendance_mark', marks(id, date, people, w === 0 ? 0 : 7 + w));
		}
	}
}

/**
 * This year's arts project: 12 Astor College students enrolled since 1 September, so the
 * programme's upcoming sessions have a named register to mark.
 */
export async function seedCurrentArtsCohort(trx: Trx, ids: Pick<Ids, 'schoolIds' | 'programmeIds'>, today: string): Promise<void> {
	const [year, month] = today.split('-').map(Number) as [number, number];
	const academicYear = month >= 9 ? year : year - 1;
	const next = random(academicYear);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
	const school = ids.schoolIds.get(referenceArtsSchool)!;
	const people = await trx
		.insertInto('young_person')
		.values(
			Array.from({ length: 12 }, (_, i) => ({
				school_id: school,
				first_name: pick(firstNames),
				last_name: pick(lastNames),
				reception_year: receptionYearFor(i % 2 ? 'Y10' : 'Y9', academicYear)
			}))
		)
		.returning('id')
		.execute();
	await insertInChunks(
		trx,
		'enrolment',
		people.map((p) => ({
			programme_id: ids.programmeIds.get('Dover Smart Arts Project')!,
			young_person_id: p.id,
			role: 'participant' as const,
			stage: 'active' as const,
			started_on: `${academicYear}-09-01`
		}))
	);
}

import type { Transaction } from 'kysely';
import type { DB, PartnershipPriority, ProgrammeShape, YearGroup } from '../db/schema';
import { addDays, fromLondon, londonParts } from '../time';

interface DemoProgramme {
	name: string;
	shape: ProgrammeShape;
	description: string;
	priority: PartnershipPriority;
	tags: string[];
	yearGroups: YearGroup[];
	registerKind: 'named' | 'headcount';
}

const programmes: DemoProgramme[] = [
	{
		name: 'Youth Conference',
		shape: 'event',
		description: 'A day for Year 8 pupils from every secondary school: gangs, county lines, child sexual exploitation, radicalisation and drugs.',
		priority: 'Safeguarding',
		tags: ['Protect people from exploitation and abuse', 'Reduce violence'],
		yearGroups: ['Y8'],
		registerKind: 'headcount'
	},
	{
		name: 'Safety in Action Week',
		shape: 'carousel',
		description: 'Year 6 classes rotate through eight workstations run by the partners, a half-day at a time.',
		priority: 'Safer Communities',
		tags: ['Prevent crime and anti-social behaviour', 'Protect people from exploitation and abuse'],
		yearGroups: ['Y6'],
		registerKind: 'headcount'
	},
	{
		name: 'Peer Mentoring Programme',
		shape: 'cohort',
		description: 'Sixth-formers mentor Year 8 and 9 pupils through the year, led with Canterbury Christ Church University.',
		priority: 'Safeguarding',
		tags: ['Protect people from exploitation and abuse'],
		yearGroups: ['Y8', 'Y9', 'Y12', 'Y13'],
		registerKind: 'named'
	},
	{
		name: 'John Muir Award',
		shape: 'award',
		description: 'Young people discover, explore and conserve wild places, working towards Discovery, Explorer and Conserver awards.',
		priority: 'Safer Communities',
		tags: ['Prevent crime and anti-social behaviour'],
		yearGroups: ['Y7', 'Y8', 'Y9', 'Y10'],
		registerKind: 'named'
	},
	{
		name: 'Gang Awareness Workshops',
		shape: 'workshop',
		description: 'Workshops at schools for parents and carers of vulnerable young people: the signs of gang involvement and where to get help.',
		priority: 'Serious Organised Crime',
		tags: ['Reduce violence', 'Protect people from exploitation and abuse'],
		yearGroups: ['parents'],
		registerKind: 'headcount'
	},
	{
		name: 'Prevent Awareness Training',
		shape: 'workshop',
		description:
			'Awareness training for frontline professionals (school staff, youth workers, health and council staff) on the Prevent duty: spotting radicalisation and making a referral.',
		priority: 'Prevent',
		tags: ['Protect people from exploitation and abuse'],
		yearGroups: ['professionals'],
		registerKind: 'headcount'
	},
	{
		name: 'Hate Crime Film Screenings',
		shape: 'event',
		description:
			"Screenings in schools of the partnership's film about hate crime, made in the Dover district: its effects on victims and communities, and how victims can be supported.",
		priority: 'Safer Communities',
		tags: ['Reduce violence', 'Support victims'],
		yearGroups: ['Y7', 'Y8', 'Y9', 'Y10', 'Y11'],
		registerKind: 'headcount'
	},
	{
		name: 'Dover Smart Arts Project',
		shape: 'cohort',
		description: 'Students from Astor College make art about the safety of their town with a local artist.',
		priority: 'Safer Communities',
		tags: ['Prevent crime and anti-social behaviour'],
		yearGroups: ['Y9', 'Y10'],
		registerKind: 'named'
	}
];

export const demoStations = [
	{ name: 'Gangs', theme: 'Gangs and county lines' },
	{ name: 'Substances', theme: 'Drugs, alcohol and substance misuse' },
	{ name: 'Fire safety', theme: 'Fire safety at home' },
	{ name: 'Water safety', theme: 'Water and coastal safety' },
	{ name: 'Internet safety', theme: 'Staying safe online' },
	{ name: 'Anti-social behaviour', theme: 'Anti-social behaviour and its victims' },
	{ name: 'Healthy relationships', theme: 'Healthy relationships and domestic abuse' },
	{ name: 'Personal safety', theme: 'Knife crime and personal safety' }
];

interface SessionPlan {
	date: string;
	start: string;
	end: string;
	venue: string;
	capacity: number;
	schoolCap?: number;
	requiresApproval?: boolean;
	rotationMinutes?: number;
}

/** The first weekday on or after `date`. */
function weekday(date: string): string {
	const day = new Date(`${date}T00:00:00Z`).getUTCDay();
	return day === 6 ? addDays(date, 2) : day === 0 ? addDays(date, 1) : date;
}

function mondayOnOrAfter(date: string): string {
	const day = new Date(`${date}T00:00:00Z`).getUTCDay();
	return addDays(date, (8 - day) % 7);
}

/**
 * The partnership plan's programmes, led by the demo lead, with upcoming sessions dated from
 * today, open for booking now. Returns each programme's id by name. (The past years' sessions
 * come from reference-years.ts.)
 */
export async function seedDemoProgrammes(
	trx: Transaction<DB>,
	ids: { leadId: string; adminId: string; schoolIds: Map<string, string> },
	now = new Date()
): Promise<Map<string, string>> {
	const today = londonParts(now).date;
	const inDays = (days: number) => weekday(addDays(today, days));
	const week = mondayOnOrAfter(addDays(today, 28));
	const plans: Record<string, SessionPlan[]> = {
		'Youth Conference': [{ date: inDays(45), start: '09:00', end: '15:00', venue: 'Dover Town Hall (Maison Dieu)', capacity: 850, schoolCap: 120 }],
		'Safety in Action Week': [
			...[0, 1, 2, 3, 4].flatMap((d) => [
				{ date: addDays(week, d), start: '09:15', end: '11:45', venue: 'Betteshanger Country Park', capacity: 64, schoolCap: 32, rotationMinutes: 15 },
				{ date: addDays(week, d), start: '12:45', end: '15:15', venue: 'Betteshanger Country Park', capacity: 64, schoolCap: 32, rotationMinutes: 15 }
			])
		],
		'Peer Mentoring Programme': [{ date: inDays(21), start: '13:30', end: '15:30', venue: 'Dover Discovery Centre', capacity: 40, requiresApproval: true }],
		'John Muir Award': [{ date: inDays(14), start: '10:00', end: '15:00', venue: 'Samphire Hoe', capacity: 30, schoolCap: 12 }],
		'Gang Awareness Workshops': [
			{ date: inDays(10), start: '18:00', end: '19:30', venue: 'Goodwin Academy, Deal', capacity: 40 },
			{ date: inDays(38), start: '18:00', end: '19:30', venue: 'Astor College, Dover', capacity: 40 }
		],
		'Prevent Awareness Training': [
			{ date: inDays(24), start: '13:30', end: '16:00', venue: 'Dover District Council Offices, Whitfield', capacity: 30, schoolCap: 4 }
		],
		// The film's screenings are made up for the demo, and say so where they are listed.
		'Hate Crime Film Screenings': [
			{ date: inDays(12), start: '09:30', end: '10:30', venue: 'Astor College hall (demo data)', capacity: 180, schoolCap: 180 },
			{ date: inDays(19), start: '10:00', end: '11:00', venue: 'Goodwin Academy, Deal, main hall (demo data)', capacity: 200, schoolCap: 200 },
			{ date: inDays(33), start: '13:30', end: '14:30', venue: 'Sandwich Technology School theatre (demo data)', capacity: 150, schoolCap: 150 }
		],
		'Dover Smart Arts Project': [{ date: inDays(17), start: '13:00', end: '15:30', venue: 'Astor College art studio', capacity: 14 }]
	};

	const sessionIds = new Map<string, string[]>();
	const programmeIds = new Map<string, string>();
	for (const programme of programmes) {
		const { id } = await trx
			.insertInto('programme')
			.values({
				name: programme.name,
				shape: programme.shape,
				description: programme.description,
				partnership_priority: programme.priority,
				pcc_tags: programme.tags,
				year_groups: programme.yearGroups,
				register_kind: programme.registerKind
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		programmeIds.set(programme.name, id);
		await trx.insertInto('programme_lead').values({ programme_id: id, user_id: ids.leadId }).execute();
		const sessions = await trx
			.insertInto('programme_session')
			.values(
				plans[programme.name]!.map((plan) => {
					const startsAt = fromLondon(plan.date, plan.start);
					return {
						programme_id: id,
						starts_at: startsAt,
						ends_at: fromLondon(plan.date, plan.end),
						venue: plan.venue,
						capacity: plan.capacity,
						booking_opens_at: fromLondon(addDays(today, -1)),
						booking_closes_at: new Date(Math.min(fromLondon(addDays(plan.date, -2)).getTime(), startsAt.getTime())),
						year_groups: programme.yearGroups,
						school_cap: plan.schoolCap ?? null,
						requires_approval: plan.requiresApproval ?? false,
						rotation_minutes: plan.rotationMinutes ?? null
					};
				})
			)
			.returning(['id', 'rotation_minutes'])
			.execute();
		sessionIds.set(
			programme.name,
			sessions.map((s) => s.id)
		);
		if (programme.shape === 'carousel') {
			await trx
				.insertInto('station')
				.values(sessions.flatMap((s) => demoStations.map((station, position) => ({ ...station, position, places: 16, session_id: s.id }))))
				.execute();
		}
	}

	// A few upcoming bookings, so the pages have something to show.
	const book = async (programme: string, index: number, school: string, yearGroup: YearGroup, places: number, classNames = '') => {
		const sessionId = sessionIds.get(programme)!.at(index)!;
		await trx
			.insertInto('booking')
			.values({
				session_id: sessionId,
				school_id: ids.schoolIds.get(school)!,
				year_group: yearGroup,
				places,
				confirmed_places: places,
				status: 'confirmed',
				contact_name: 'School office',
				contact_phone: '01304 000000',
				class_names: classNames,
				created_by: ids.adminId,
				// Each school's own booking, entered for it: it gives the programme's leads their reach.
				on_behalf: false,
				queued_at: now
			})
			.execute();
	};
	await book('Youth Conference', -1, 'Dover Grammar School for Girls', 'Y8', 110);
	await book('Youth Conference', -1, 'Goodwin Academy', 'Y8', 95);
	await book('Safety in Action Week', 0, 'Vale View Community School', 'Y6', 30, 'Oak and Ash');
	await book('Safety in Action Week', 0, 'Green Park Community Primary School', 'Y6', 28, 'Kingfishers');
	return programmeIds;
}

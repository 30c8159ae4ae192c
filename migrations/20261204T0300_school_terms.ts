import { sql, type Kysely } from 'kysely';

// Kent's school terms, so weekly series can skip the holidays (the gaps between terms) and a
// session in a holiday can be flagged. Admins keep them at /terms.
//
// The years 2018-19 to 2027-28 are entered here. `source` says where each term's dates came
// from: Kent County Council's dates as Kent schools publish them (2018-19, 2019-20 and 2024-25
// to 2026-27, and the known terms of 2021-22 and 2023-24), or an approximation following the
// pattern of Kent's published dates (six terms; Term 1 from the first days of September; the
// Easter holidays two weeks around Easter Sunday; the summer term ending around 21-23 July)
// where the published dates were not to hand. An admin can correct any of them.

const PUBLISHED = 'Kent County Council dates, as published by Kent schools';
const APPROXIMATION = "Approximation: pattern of Kent's published dates";

type Row = [academicYear: number, name: string, firstDay: string, lastDay: string, published: boolean];

const terms: Row[] = [
	[2018, 'Term 1', '2018-09-03', '2018-10-19', true],
	[2018, 'Term 2', '2018-10-29', '2018-12-19', true],
	[2018, 'Term 3', '2019-01-03', '2019-02-15', true],
	[2018, 'Term 4', '2019-02-25', '2019-04-05', true],
	[2018, 'Term 5', '2019-04-23', '2019-05-24', true],
	[2018, 'Term 6', '2019-06-03', '2019-07-23', true],
	[2019, 'Term 1', '2019-09-02', '2019-10-18', true],
	[2019, 'Term 2', '2019-10-28', '2019-12-18', true],
	[2019, 'Term 3', '2020-01-06', '2020-02-14', true],
	[2019, 'Term 4', '2020-02-24', '2020-04-01', true],
	[2019, 'Term 5', '2020-04-16', '2020-05-22', true],
	[2019, 'Term 6', '2020-06-01', '2020-07-22', true],
	[2020, 'Term 1', '2020-09-03', '2020-10-23', false],
	[2020, 'Term 2', '2020-11-02', '2020-12-18', false],
	[2020, 'Term 3', '2021-01-04', '2021-02-12', false],
	[2020, 'Term 4', '2021-02-22', '2021-04-01', false],
	[2020, 'Term 5', '2021-04-19', '2021-05-28', false],
	[2020, 'Term 6', '2021-06-07', '2021-07-21', false],
	[2021, 'Term 1', '2021-09-02', '2021-10-22', false],
	[2021, 'Term 2', '2021-11-01', '2021-12-17', false],
	[2021, 'Term 3', '2022-01-04', '2022-02-18', false],
	[2021, 'Term 4', '2022-02-28', '2022-04-08', false],
	[2021, 'Term 5', '2022-04-25', '2022-05-27', false],
	// Ended a day early for the Platinum Jubilee, as Kent County Council announced.
	[2021, 'Term 6', '2022-06-06', '2022-07-21', true],
	[2022, 'Term 1', '2022-09-01', '2022-10-21', false],
	[2022, 'Term 2', '2022-10-31', '2022-12-16', false],
	[2022, 'Term 3', '2023-01-03', '2023-02-10', false],
	[2022, 'Term 4', '2023-02-20', '2023-03-31', false],
	[2022, 'Term 5', '2023-04-17', '2023-05-26', false],
	[2022, 'Term 6', '2023-06-05', '2023-07-21', false],
	[2023, 'Term 1', '2023-09-01', '2023-10-20', true],
	[2023, 'Term 2', '2023-10-30', '2023-12-15', true],
	[2023, 'Term 3', '2024-01-02', '2024-02-09', true],
	[2023, 'Term 4', '2024-02-19', '2024-03-28', false],
	[2023, 'Term 5', '2024-04-15', '2024-05-24', false],
	[2023, 'Term 6', '2024-06-03', '2024-07-23', true],
	[2024, 'Term 1', '2024-09-02', '2024-10-25', true],
	[2024, 'Term 2', '2024-11-04', '2024-12-20', true],
	[2024, 'Term 3', '2025-01-06', '2025-02-14', true],
	[2024, 'Term 4', '2025-02-24', '2025-04-04', true],
	[2024, 'Term 5', '2025-04-22', '2025-05-23', true],
	[2024, 'Term 6', '2025-06-02', '2025-07-22', true],
	[2025, 'Term 1', '2025-09-01', '2025-10-17', true],
	[2025, 'Term 2', '2025-10-27', '2025-12-19', true],
	[2025, 'Term 3', '2026-01-05', '2026-02-13', true],
	[2025, 'Term 4', '2026-02-23', '2026-04-02', true],
	[2025, 'Term 5', '2026-04-20', '2026-05-22', true],
	[2025, 'Term 6', '2026-06-01', '2026-07-21', true],
	[2026, 'Term 1', '2026-09-01', '2026-10-23', true],
	[2026, 'Term 2', '2026-11-02', '2026-12-18', true],
	[2026, 'Term 3', '2027-01-04', '2027-02-12', true],
	[2026, 'Term 4', '2027-02-22', '2027-03-25', true],
	[2026, 'Term 5', '2027-04-12', '2027-05-28', true],
	[2026, 'Term 6', '2027-06-07', '2027-07-21', true],
	[2027, 'Term 1', '2027-09-01', '2027-10-22', false],
	[2027, 'Term 2', '2027-11-01', '2027-12-17', false],
	[2027, 'Term 3', '2028-01-04', '2028-02-11', false],
	[2027, 'Term 4', '2028-02-21', '2028-04-07', false],
	[2027, 'Term 5', '2028-04-24', '2028-05-26', false],
	[2027, 'Term 6', '2028-06-05', '2028-07-21', false]
];

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('school_term')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		// The academic year by the calendar year it starts in: 2026 is 2026-27.
		.addColumn('academic_year', 'integer', (c) => c.notNull().check(sql`academic_year between 2000 and 2100`))
		.addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 60`))
		.addColumn('first_day', 'date', (c) => c.notNull())
		.addColumn('last_day', 'date', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull().check(sql`length(source) between 1 and 200`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('school_term_days_in_order', sql`last_day >= first_day`)
		.addUniqueConstraint('school_term_year_name', ['academic_year', 'name'])
		.execute();
	await db.schema.createIndex('school_term_first_day').on('school_term').column('first_day').execute();
	await db
		.insertInto('school_term')
		.values(
			terms.map(([academicYear, name, firstDay, lastDay, published]) => ({
				academic_year: academicYear,
				name,
				first_day: firstDay,
				last_day: lastDay,
				source: published ? PUBLISHED : APPROXIMATION
			}))
		)
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('school_term').execute();
}

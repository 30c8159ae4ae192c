import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { searchKey } from '../../../src/lib/search-key';
import { listSchools } from '../../../src/lib/server/schools/schools.queries';
import { listUsers } from '../../../src/lib/server/users/users.queries';
import { listYoungPeopleOfSchool } from '../../../src/lib/server/young-people/young-people.queries';
import { useTestDatabase } from '../../support/database';
import { makeSchool, makeUser } from '../../support/factories';
import { makeYoungPerson } from '../../support/young-people-world';

// Search finds people as their names are spoken, on both databases.

const t = useTestDatabase();

const NAMES = [
	'Zoë Brontë',
	"Siobhán O'Neill",
	'Ciarán O’Brien',
	'Chloé Lefèvre',
	'Łukasz Wiśniewski-Dąbrowski',
	'Šimon Žák',
	'Ștefan Țurcanu',
	'Çağrı Yılmaz',
	'İrem Işık',
	'Jürgen Groß',
	'Æthelred Œuvre',
	'Γιώργος Παπαδόπουλος',
	'Дмитрий Ёлкин',
	'Mary-Jane  Smith',
	'Nguyễn Thị Minh',
	'Søren Kierkegård',
	'Đorđe Petrović'
];

describe('search keys', () => {
	it("are the same from the database's function as from the browser's", async () => {
		const rows = await sql<{ name: string; key: string }>`select name, search_key(name) as key from unnest(${NAMES}::text[]) as name`.execute(t.db);
		expect(rows.rows.map((r) => r.key)).toEqual(NAMES.map(searchKey));
	});

	it.each([
		['zoe', 'Zoë'],
		['ZOE BRONTE', 'Zoë'],
		['oneill', 'Siobhán'],
		["o'neill", 'Siobhán'],
		['obrien', 'Ciarán'],
		['o’brien', 'Ciarán'],
		['chloe', 'Chloé'],
		['lukasz', 'Łukasz'],
		['wisniewski dabrowski', 'Łukasz'],
		['simon zak', 'Šimon'],
		['stefan', 'Ștefan'],
		['cagri', 'Çağrı'],
		['groß', 'Jürgen'],
		['gross', 'Jürgen'],
		['γιωργος', 'Γιώργος'],
		['елкин', 'Дмитрий'],
		['maryjane', 'Mary-Jane'],
		['smith mary', 'Mary-Jane'],
		['soren', 'Søren'],
		['djorde', undefined],
		['dorde', 'Đorđe']
	])('finds a young person from "%s"', async (search, found) => {
		const school = await makeSchool(t.db);
		for (const name of NAMES) {
			const [first, ...rest] = name.split(' ');
			await makeYoungPerson(t.db, { school_id: school.id, first_name: first!, last_name: rest.join(' ').trim() });
		}
		const hits = await listYoungPeopleOfSchool(t.db, school.id, { search });
		expect(hits.map((h) => h.first_name)).toEqual(found ? [found] : []);
	});

	it('finds schools and users the same way', async () => {
		const school = await makeSchool(t.db, { name: "St Mary's Church of England Primary School" });
		await makeSchool(t.db, { name: 'Dover Grammar School for Girls' });
		expect((await listSchools(t.db, { search: 'st marys' })).map((s) => s.id)).toEqual([school.id]);
		const user = await makeUser(t.db, { name: 'Zoë O’Connor', email: 'z.oconnor@example.org' });
		await makeUser(t.db, { name: 'Ann Leader' });
		expect((await listUsers(t.db, { search: 'zoe oconnor' })).map((u) => u.id)).toEqual([user.id]);
		expect((await listUsers(t.db, { search: 'z.oconnor@' })).map((u) => u.id)).toEqual([user.id]);
	});
});

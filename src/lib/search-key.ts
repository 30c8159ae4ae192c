// A name's search key, as the database's search_key() function makes it (migration
// 20261202T1700_search_keys): lower case, without accents, apostrophes, hyphens or spaces, so
// "zoe" finds Zoë, "oneill" O'Neill and "lukasz" Łukasz. For searches that run in the browser;
// tests/server/db/search-key.test.ts holds this equal to the database's.

const FROM = 'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšșţťŧțùúûüũūŭůűųŵýÿŷźżžðάέήίόύώϊϋΐΰςё';
const TO = 'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssssttttuuuuuuuuuuwyyyzzzdαεηιουωιυιυσе';
const PLAIN = new Map([...FROM].map((letter, i) => [letter, TO[i]!]));
const PAIRS: [RegExp, string][] = [
	[/ß/g, 'ss'],
	[/æ/g, 'ae'],
	[/œ/g, 'oe'],
	[/ĳ/g, 'ij']
];

export function searchKey(value: string): string {
	let key = value.toLowerCase();
	for (const [pair, plain] of PAIRS) key = key.replace(pair, plain);
	return [...key]
		.map((letter) => PLAIN.get(letter) ?? letter)
		.join('')
		.replace(/[^\p{L}\p{N}]/gu, '');
}

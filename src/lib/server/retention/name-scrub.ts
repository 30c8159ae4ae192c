// Finding and removing a young person's name in free text: audit details, outbox messages,
// meeting notes, booking notes. Nothing the app writes should hold a young person's name (audit
// rows name them by id), but a typed note or an email may, so anonymisation looks everywhere.
//
// Pure: the service reads the text and writes it back. A text is looked at word by word, so
// one pass over a table serves any number of people at once (a retention run of thousands).

export const ANONYMISED = 'Anonymised';

export interface NamedPerson {
	id: string;
	first_name: string;
	last_name: string;
}

const WORD = /[\p{L}\p{N}]+/gu;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A name as a pattern: its words in order, any spaces, hyphens or apostrophes between them. */
const namePattern = (name: string) => (name.match(WORD) ?? []).map(escape).join(`[\\s\\-'’]*`);
const words = (text: string) => (text.toLowerCase().match(WORD) ?? []) as string[];

interface Compiled {
	person: NamedPerson;
	/** "First Last", "Last First", "Last, First". */
	full: RegExp;
	/** Each of their names alone, for text about them (their own audit rows, their pairs' notes). */
	alone: RegExp;
}

function compile(person: NamedPerson): Compiled | undefined {
	const first = namePattern(person.first_name);
	const last = namePattern(person.last_name);
	if (!first || !last) return undefined;
	const b = (p: string) => `(?<![\\p{L}\\p{N}])(?:${p})(?![\\p{L}\\p{N}])`;
	return {
		person,
		full: new RegExp(b(`${first}[\\s,]+${last}|${last}[\\s,]+${first}`), 'giu'),
		alone: new RegExp(b(`${last}|${first}`), 'giu')
	};
}

export interface NameScrubber {
	/** Whether any word of the text could start one of the names (a quick test before scrubbing). */
	mayMention(text: string): boolean;
	/** The text with each person's full name replaced, and their single names too where the text is about them (by id). */
	scrub(text: string, aboutIds?: readonly string[]): string;
	/** A JSON value with scrub applied to every string in it (keys and values). */
	scrubJson<T>(value: T, aboutIds?: readonly string[]): T;
}

export function nameScrubber(people: readonly NamedPerson[]): NameScrubber {
	// Keyed by the first word of each name, lower case: a text whose words miss every key mentions no one.
	const byWord = new Map<string, Compiled[]>();
	for (const person of people) {
		const compiled = compile(person);
		if (!compiled) continue;
		for (const name of [person.first_name, person.last_name]) {
			const key = words(name)[0]!;
			const list = byWord.get(key) ?? byWord.set(key, []).get(key)!;
			list.push(compiled);
		}
	}
	const candidates = (text: string) => {
		const found = new Set<Compiled>();
		for (const word of words(text)) for (const c of byWord.get(word) ?? []) found.add(c);
		return found;
	};
	const scrub = (text: string, aboutIds: readonly string[] = []) => {
		const found = candidates(text);
		if (found.size === 0) return text;
		const about = new Set(aboutIds.map((id) => id.toLowerCase()));
		let result = text;
		for (const c of found) {
			result = result.replace(c.full, ANONYMISED);
			if (about.has(c.person.id.toLowerCase())) result = result.replace(c.alone, ANONYMISED);
		}
		return result;
	};
	const scrubJson = <T>(value: T, aboutIds: readonly string[] = []): T => {
		if (typeof value === 'string') return scrub(value, aboutIds) as T;
		if (Array.isArray(value)) return value.map((v) => scrubJson(v, aboutIds)) as T;
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k, aboutIds), scrubJson(v, aboutIds)])) as T;
		}
		return value;
	};
	return {
		mayMention: (text) => candidates(text).size > 0,
		scrub,
		scrubJson
	};
}

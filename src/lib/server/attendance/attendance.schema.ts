// The register forms. A named register has one field per young person, `mark.<id>`; a
// headcount, one per school and year group, `count.<school id>.<year group>`, as does a
// workstation's register. Values come back as typed so a refused form shows them again.

const MARK = 'mark.';
const COUNT = 'count.';

/** The form field of one school and year group's count; also the key of its error. */
export const countField = (schoolId: string, yearGroup: string) => `${COUNT}${schoolId}.${yearGroup}`;

/** Fields of the form whose names start with the prefix, trimmed, with their full names. */
function prefixed(form: FormData, prefix: string): [string, string][] {
	return [...form.entries()]
		.filter((entry): entry is [string, string] => entry[0].startsWith(prefix) && typeof entry[1] === 'string')
		.map(([name, value]) => [name, value.trim()]);
}

/** "3.5", "-1" or "ten" is no count: it reaches the service as NaN, which refuses it. */
function count(value: string): number {
	return /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
}

function cellOf(name: string): { schoolId: string; yearGroup: string } {
	const [schoolId = '', yearGroup = ''] = name.slice(COUNT.length).split('.');
	return { schoolId, yearGroup };
}

/** A named register's marks; a young person left unmarked is left out. Values are keyed by young person id. */
export function marksFromForm(form: FormData) {
	const fields = prefixed(form, MARK)
		.filter(([, value]) => value !== '')
		.map(([name, value]) => [name.slice(MARK.length), value] as const);
	return {
		marks: fields.map(([youngPersonId, status]) => ({ youngPersonId, status })),
		values: Object.fromEntries(fields) as Record<string, string>
	};
}

/** A headcount session's counts; an empty box is left out. Values are keyed by `<school id>.<year group>`. */
export function headcountsFromForm(form: FormData) {
	const fields = prefixed(form, COUNT).filter(([, value]) => value !== '');
	return {
		counts: fields.map(([name, value]) => ({ ...cellOf(name), count: count(value) })),
		values: Object.fromEntries(fields.map(([name, value]) => [name.slice(COUNT.length), value])) as Record<string, string>
	};
}

/** A workstation register's counts; an empty box is null (it clears the count). Values are keyed by field name. */
export function stationHeadcountsFromForm(form: FormData) {
	const fields = prefixed(form, COUNT);
	return {
		counts: fields.map(([name, value]) => ({ ...cellOf(name), count: value === '' ? null : count(value) })),
		values: Object.fromEntries(fields) as Record<string, string>
	};
}

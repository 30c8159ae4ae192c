import { roles, userStatuses, type Role } from '../db/schema';
import type { FieldErrors } from '../result';
import { emailProblem, field, oneOf, UUID } from '../forms';
import type { UserFilter } from './users.queries';

export { roleLabels } from '../../roles';

export interface UserInput {
	email: string;
	name: string;
	role: Role;
	schoolId: string | null;
}

export type UserFormValues = Record<'email' | 'name' | 'role' | 'schoolId', string>;

export function parseUserForm(form: FormData, { withEmail }: { withEmail: boolean }) {
	const values: UserFormValues = {
		email: withEmail ? field(form, 'email').toLowerCase() : '',
		name: field(form, 'name'),
		role: field(form, 'role'),
		schoolId: field(form, 'schoolId')
	};
	const errors: FieldErrors = {};
	if (withEmail) {
		const problem = emailProblem(values.email);
		if (problem) errors.email = problem;
	}
	if (values.name === '') errors.name = 'Enter their full name';
	else if (values.name.length > 100) errors.name = 'Name must be 100 characters or fewer';
	if (!oneOf(roles, values.role)) errors.role = 'Select a role';
	else if (values.role === 'school' && !UUID.test(values.schoolId)) errors.schoolId = 'Select the school they work at';
	const input: UserInput = {
		email: values.email,
		name: values.name,
		role: values.role as Role,
		schoolId: values.role === 'school' ? values.schoolId : null
	};
	return { values, errors, input };
}

/** The users list's search and filters from the address: as typed, to show again, and as a filter. */
export function userFilterFromParams(params: URLSearchParams): { values: { search: string; role: string; status: string }; filter: UserFilter } {
	const search = (params.get('search') ?? '').trim().slice(0, 100);
	const role = params.get('role') ?? '';
	const status = params.get('status') ?? '';
	return {
		values: { search, role, status },
		filter: {
			search: search || undefined,
			role: oneOf(roles, role) ? role : undefined,
			status: oneOf(userStatuses, status) ? status : undefined
		}
	};
}

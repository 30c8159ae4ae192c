import type { FieldErrors } from '../result';
import { emailProblem, field, rawField } from '../forms';
import { passwordProblem } from './password';

// The account forms. Passwords are taken exactly as typed (spaces at either end are part of
// them) and are never echoed back to a page.

export interface SignInValues {
	email: string;
	password: string;
}

export function signInValuesFromForm(form: FormData): SignInValues {
	return { email: field(form, 'email'), password: rawField(form, 'password') };
}

export function signInErrors(values: SignInValues): FieldErrors {
	const errors: FieldErrors = {};
	const problem = emailProblem(values.email);
	if (problem) errors.email = problem;
	if (values.password === '') errors.password = 'Enter your password';
	return errors;
}

/** The forgotten-password form: the address to send a reset link to. */
export function emailValuesFromForm(form: FormData): { email: string } {
	return { email: field(form, 'email') };
}

export interface NewPasswordValues {
	password: string;
	confirmPassword: string;
}

/** A new password typed twice, on the invitation and reset pages. */
export function newPasswordValuesFromForm(form: FormData): NewPasswordValues {
	return { password: rawField(form, 'password'), confirmPassword: rawField(form, 'confirmPassword') };
}

export function changePasswordValuesFromForm(form: FormData): NewPasswordValues & { currentPassword: string } {
	return { currentPassword: rawField(form, 'currentPassword'), ...newPasswordValuesFromForm(form) };
}

export function newPasswordErrors({ password, confirmPassword }: NewPasswordValues): FieldErrors {
	const problem = passwordProblem(password);
	if (problem) return { password: problem };
	if (password !== confirmPassword) return { confirmPassword: 'Passwords must match' };
	return {};
}

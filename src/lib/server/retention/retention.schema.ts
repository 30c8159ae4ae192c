import type { FieldErrors } from '../result';
import { field } from '../forms';

// The erasure form (a reason, required) and a programme's retention period (whole years, 1-25).

export interface ErasureValues {
	reason: string;
}

export const REASON_MAX = 500;

export function erasureValuesFromForm(form: FormData): ErasureValues {
	return { reason: field(form, 'reason') };
}

export function validateErasure(values: ErasureValues): { errors: FieldErrors; input: { reason: string } } {
	const reason = values.reason.trim();
	const errors: FieldErrors = {};
	if (!reason) errors.reason = 'Enter why this young person is being erased (for example, the request and its date)';
	else if (reason.length > REASON_MAX) errors.reason = `The reason must be ${REASON_MAX} characters or fewer`;
	return { errors, input: { reason } };
}

export const RETENTION_MIN_YEARS = 1;
export const RETENTION_MAX_YEARS = 25;

/** A retention period in whole years from 1 to 25, or a message. */
export function validateRetentionYears(value: string): { error?: string; years?: number } {
	const trimmed = value.trim();
	if (!/^\d{1,3}$/.test(trimmed)) return { error: 'Enter the retention period as a whole number of years, from 1 to 25' };
	const years = Number(trimmed);
	if (years < RETENTION_MIN_YEARS || years > RETENTION_MAX_YEARS) return { error: 'The retention period must be from 1 to 25 years' };
	return { years };
}

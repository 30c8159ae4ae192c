import type { FieldErrors } from '../result';
import { field } from '../forms';

// The erasure form: a reason, required. (A programme's retention period is on its own form: programmes.schema.ts.)

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

import { UUID } from '../forms';
import { notFound } from '../result';

/** An id from the address, or a 404 when it cannot be one. */
export function idParam(value: string): string {
	if (!UUID.test(value)) notFound();
	return value;
}

import { yearGroups, type YearGroup } from '../db/schema';
import type { FieldErrors } from '../result';
import { field, oneOf, UUID } from '../forms';

export interface BookingValues {
	schoolId: string;
	yearGroup: string;
	places: string;
	contactName: string;
	contactPhone: string;
	classNames: string;
	accessNeeds: string;
	idempotencyKey: string;
	/** When only some places are free: 'take' them and wait for the rest, 'wait' for all, or 'none'. */
	partial?: string;
	/** 'yes': book as well as the school's earlier booking for the same year group. */
	again?: string;
}

export const partialChoices = ['take', 'wait', 'none'] as const;
export type PartialChoice = (typeof partialChoices)[number];

export interface BookingInput {
	schoolId: string;
	yearGroup: YearGroup;
	places: number;
	contactName: string;
	contactPhone: string;
	classNames: string;
	accessNeeds: string;
	idempotencyKey: string | null;
	partial: PartialChoice | null;
	again: boolean;
}

export function bookingValuesFromForm(form: FormData): BookingValues {
	return {
		schoolId: field(form, 'schoolId'),
		yearGroup: field(form, 'yearGroup'),
		places: field(form, 'places'),
		contactName: field(form, 'contactName'),
		contactPhone: field(form, 'contactPhone'),
		classNames: field(form, 'classNames'),
		accessNeeds: field(form, 'accessNeeds'),
		idempotencyKey: field(form, 'idempotencyKey'),
		partial: field(form, 'partial'),
		again: field(form, 'again')
	};
}

/** The form that changes a booking's places. */
export function changeValuesFromForm(form: FormData): { places: string } {
	return { places: field(form, 'places') };
}

export function parsePlaces(value: string): number | string {
	if (value === '') return 'Enter the number of places';
	if (!/^\d{1,5}$/.test(value)) return 'Places must be a whole number, like 30';
	const places = Number(value);
	return places < 1 ? 'Book at least 1 place' : places;
}

/** The places of a change to a booking: a booking is cancelled, not changed to none. */
export function parseChangedPlaces(value: string): number | string {
	if (/^\d{1,5}$/.test(value) && Number(value) < 1) return 'Book at least 1 place, or cancel the booking';
	return parsePlaces(value);
}

/** The form's own checks; the session's rules (window, year groups, places left, cap) come after. */
export function validateBooking(values: BookingValues, { needsSchool }: { needsSchool: boolean }) {
	const errors: FieldErrors = {};
	if (needsSchool && !UUID.test(values.schoolId)) errors.schoolId = 'Select the school';
	if (!oneOf(yearGroups, values.yearGroup)) errors.yearGroup = 'Select the year group';
	const places = parsePlaces(values.places);
	if (typeof places === 'string') errors.places = places;
	if (values.contactName === '') errors.contactName = 'Enter the name of the contact on the day';
	else if (values.contactName.length > 100) errors.contactName = 'Contact name must be 100 characters or fewer';
	if (values.contactPhone === '') errors.contactPhone = 'Enter a phone number for the contact on the day';
	else if (!/^\+?[\d\s()-]{7,20}$/.test(values.contactPhone)) errors.contactPhone = 'Enter a phone number, like 01304 872000 or 07700 900982';
	if (values.classNames.length > 500) errors.classNames = 'Class names must be 500 characters or fewer';
	const partial = values.partial ?? '';
	if (partial !== '' && !oneOf(partialChoices, partial)) errors.partial = 'Choose what to do about the places that are not free';
	if (values.accessNeeds.length > 1000) errors.accessNeeds = 'Access needs must be 1,000 characters or fewer';
	const input: BookingInput = {
		schoolId: values.schoolId,
		yearGroup: values.yearGroup as YearGroup,
		places: typeof places === 'number' ? places : 0,
		contactName: values.contactName,
		contactPhone: values.contactPhone,
		classNames: values.classNames,
		accessNeeds: values.accessNeeds,
		idempotencyKey: UUID.test(values.idempotencyKey) ? values.idempotencyKey : null,
		partial: oneOf(partialChoices, partial) ? partial : null,
		again: values.again === 'yes'
	};
	return { errors, input };
}

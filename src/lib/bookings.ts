import type { BookingStatus } from '$lib/server/db/schema';

export const bookingTag: Record<BookingStatus, string> = {
	confirmed: 'govuk-tag--green',
	requested: 'govuk-tag--yellow',
	waitlisted: 'govuk-tag--orange',
	cancelled: 'govuk-tag--grey'
};

export const bookingStatusLabel: Record<BookingStatus, string> = {
	confirmed: 'Confirmed',
	requested: 'Waiting for approval',
	waitlisted: 'Waiting list',
	cancelled: 'Cancelled'
};

/** The flag on a booking made by someone other than the school's own contact. */
export function onBehalfLabel(b: { made_by_name: string }): string {
	return `Booked on the school's behalf by ${b.made_by_name}`;
}

/** "30 confirmed", "12 of 30 confirmed, 18 waiting" and so on. */
export function describePlaces(b: { status: BookingStatus; places: number; confirmed_places: number }): string {
	if (b.status === 'confirmed') return `${b.places} confirmed`;
	if (b.status === 'requested') return `${b.places} asked for`;
	if (b.status === 'cancelled') return `${b.places} cancelled`;
	return b.confirmed_places > 0 ? `${b.confirmed_places} of ${b.places} confirmed, ${b.places - b.confirmed_places} waiting` : `${b.places} waiting`;
}

/** How long after a cancellation it may be undone, while the places it held are still free. */
export const UNDO_MINUTES = 15;

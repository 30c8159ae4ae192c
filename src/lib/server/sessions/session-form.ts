import { londonParts } from '../time';
import type { SessionValues } from './sessions.schema';

/** A saved session as the values of its form, in UK time. */
export function sessionFormValues(session: {
	starts_at: Date;
	ends_at: Date;
	venue: string;
	capacity: number;
	booking_opens_at: Date;
	booking_closes_at: Date;
	year_groups: string[];
	school_cap: number | null;
	requires_approval: boolean;
	rotation_minutes: number | null;
}): SessionValues {
	const start = londonParts(session.starts_at);
	// Booking closes at the end of its day: the form shows that day.
	const closes = londonParts(new Date(session.booking_closes_at.getTime() - 1));
	return {
		date: start.date,
		startTime: start.time,
		endTime: londonParts(session.ends_at).time,
		venue: session.venue,
		capacity: String(session.capacity),
		bookingOpens: londonParts(session.booking_opens_at).date,
		bookingCloses: closes.date,
		yearGroups: session.year_groups,
		schoolCap: session.school_cap === null ? '' : String(session.school_cap),
		requiresApproval: session.requires_approval,
		rotationMinutes: session.rotation_minutes === null ? '' : String(session.rotation_minutes),
		repeat: 'none',
		repeatUntil: '',
		repeatCount: ''
	};
}

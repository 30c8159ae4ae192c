import type { ProgrammeShape } from '$lib/server/db/schema';

export const shapeLabels: Record<ProgrammeShape, string> = {
	event: 'Event: one day, one venue, places shared between schools',
	carousel: 'Carousel: class groups rotate through workstations',
	cohort: 'Cohort: a group over an academic year, such as mentoring',
	award: 'Award: young people working towards award levels',
	workshop: 'Workshop: sessions for parents and carers'
};

export const shapeNames: Record<ProgrammeShape, string> = {
	event: 'Event',
	carousel: 'Carousel',
	cohort: 'Cohort',
	award: 'Award',
	workshop: 'Workshop'
};

export const priorityOptions = ['Domestic Abuse', 'Safeguarding', 'Safer Communities', 'Prevent', 'Serious Organised Crime'].map((p) => ({
	value: p,
	label: p
}));

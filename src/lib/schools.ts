export const phaseOptions = [
	{ value: 'primary', label: 'Primary' },
	{ value: 'secondary', label: 'Secondary' },
	{ value: 'all-through', label: 'All-through' },
	{ value: 'special', label: 'Special' },
	{ value: 'college', label: 'College' }
] as const;

const phaseLabels: Record<string, string> = Object.fromEntries(phaseOptions.map((o) => [o.value, o.label]));

/** A school's phase as people write it on its own: "All-through", not its code. */
export function phaseLabel(phase: string): string {
	return phaseLabels[phase] ?? phase;
}

export const townOptions = [
	{ value: 'Dover', label: 'Dover' },
	{ value: 'Deal', label: 'Deal' },
	{ value: 'Sandwich', label: 'Sandwich' },
	{ value: 'Rural', label: 'Rural' }
] as const;

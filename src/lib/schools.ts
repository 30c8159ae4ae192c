export const phaseOptions = [
	{ value: 'primary', label: 'Primary' },
	{ value: 'secondary', label: 'Secondary' },
	{ value: 'all-through', label: 'All-through' },
	{ value: 'special', label: 'Special' },
	{ value: 'college', label: 'College' }
] as const;

export const townOptions = [
	{ value: 'Dover', label: 'Dover' },
	{ value: 'Deal', label: 'Deal' },
	{ value: 'Sandwich', label: 'Sandwich' },
	{ value: 'Rural', label: 'Rural' }
] as const;

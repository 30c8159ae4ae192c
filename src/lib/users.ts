import { roleLabels } from './roles';

export const roleOptions = Object.entries(roleLabels).map(([value, label]) => ({ value, label }));

export const statusOptions = [
	{ value: 'invited', label: 'Invited' },
	{ value: 'active', label: 'Active' },
	{ value: 'deactivated', label: 'Deactivated' }
];

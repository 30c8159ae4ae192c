// The access rules are in policy.ts; `refuse` stays importable from here.
export { refuse, type Target } from './policy';

// Types for the rule module, so tests written in TypeScript can load it.
import type { Rule } from 'eslint';

export const SERVER_FOLDERS: string[];
declare const rule: Rule.RuleModule;
export default rule;

import { governanceActions } from './actions/governance.js';
import { delegationActions } from './actions/delegation.js';
import { delegationRules } from './rules/delegation-rules.js';
import { walletActions } from './actions/index.js';
import { rewardsActions } from './actions/rewards.js';
import { contractActions } from './actions/contracts.js';
import { contactActions } from './actions/contacts.js';
import { alertActions } from './actions/alerts.js';
import { scheduleActions } from './actions/schedules.js';
import { computeActions } from './actions/compute.js';
import { deploymentActions } from './actions/deployment.js';
import { deploymentRules } from './rules/deployment-rules.js';
import { limitActions } from './actions/limits.js';
import { computeRules } from './rules/compute-rules.js';
import { alertRules } from './rules/alert-rules.js';
import { contactRules } from './rules/contact-rules.js';
import { scheduleRules } from './rules/schedule-rules.js';
import { contractRules } from './rules/contract-rules.js';
import { limitRules } from './rules/limit-rules.js';
import { helpTopicRule } from './rules/help-rules.js';
import type { ActionRegistry } from './registry.js';
import { governanceRules } from './rules/governance-rules.js';
import type { Rule } from './rules/parser.js';

export interface Catalog {
  actions: ActionRegistry;
  /** Domain rules that run before the wallet's own (which hold the catch-alls). */
  rules: Rule[];
}

/** Every action and phrasing rule this bot knows; one place to add a domain. */
export function buildRegistry(): Catalog {
  const actions = walletActions();
  actions.add(
    ...governanceActions,
    ...delegationActions,
    ...rewardsActions,
    ...contractActions,
    ...contactActions,
    ...alertActions,
    ...scheduleActions,
    ...computeActions,
    ...deploymentActions,
    ...limitActions,
  );
  return {
    actions,
    rules: [
      // "help dao" is a question about the bot, not a request for the proposals.
      helpTopicRule,
      // Delegation first: "remove my delegation" is not a contact to forget, nor "delegate" a stake here.
      ...delegationRules,
      ...limitRules,
      ...deploymentRules,
      ...contractRules,
      ...computeRules,
      ...scheduleRules,
      ...alertRules,
      ...contactRules,
      ...governanceRules,
    ],
  };
}

// Sections of the help, shared by the help action and the rule that reads "help <section>".

/**
 * The overview's sections, by action name. The whole list no longer fits one Telegram message (4,096 characters),
 * so "help" names every command by section and "help <section>" explains one. An action in no section is still
 * listed, under "More".
 */
export const HELP_TOPICS: readonly { name: string; aliases: string[]; title: string; actions: string[] }[] = [
  {
    name: 'wallet',
    aliases: ['wallets', 'account', 'addresses'],
    title: 'Your wallet',
    actions: [
      'balance',
      'account',
      'history',
      'tx_status',
      'fee',
      'link',
      'unlink',
      'primary',
      'my_addresses',
    ],
  },
  {
    name: 'payments',
    aliases: ['payment', 'pay', 'money', 'transfers'],
    title: 'Payments',
    actions: ['send', 'send_many', 'schedule_payment', 'schedules', 'schedule_stop', 'cancel', 'undo'],
  },
  {
    name: 'staking',
    aliases: ['validators', 'bond'],
    title: 'Staking',
    actions: ['stake', 'stake_delegated', 'unstake', 'withdraw'],
  },
  {
    name: 'contacts',
    aliases: ['address book', 'names'],
    title: 'Contacts',
    actions: ['contact_save', 'contacts', 'contact_forget'],
  },
  {
    name: 'safety',
    aliases: ['limit', 'alerts', 'security'],
    title: 'Limits and alerts',
    actions: ['limits', 'limit_set', 'limits_cancel', 'alerts'],
  },
  {
    name: 'dao',
    aliases: ['governance', 'voting', 'votes', 'proposals'],
    title: 'DAO governance',
    actions: [
      'proposals',
      'proposal',
      'voting_power',
      'propose',
      'vote',
      'veto',
      'delegate',
      'revoke_delegation',
      'delegation',
      'delegators',
      'deployment',
    ],
  },
  {
    name: 'compute',
    aliases: ['rewards', 'inference', 'pool'],
    title: 'Rewards and compute',
    actions: ['rewards', 'compute_status', 'my_contributions', 'compute_proofs'],
  },
  {
    name: 'contracts',
    aliases: ['contract', 'wasm'],
    title: 'WASM contracts',
    actions: ['contract_check', 'contract_simulate', 'contract_cost', 'contract_deploy', 'contract_upload'],
  },
  {
    name: 'operator',
    aliases: ['admin', 'admins'],
    title: 'Operator, bot admins only',
    actions: [
      'anchor',
      'rewards_report',
      'rewards_payout',
      'compute_anchor',
      'compute_payout',
      'deployment_anchor',
    ],
  },
];

/** The section a word names ("dao", "governance"), if any. */
export function helpSection(word: string): (typeof HELP_TOPICS)[number] | undefined {
  const w = word.trim().toLowerCase();
  return HELP_TOPICS.find((t) => t.name === w || t.aliases.includes(w));
}

// What a drafting action would do, in plain words: the answer to a question about a request ("how do I send 5 PAC
// to X?", "should I unstake ...?"), with the draft offered as a button rather than made.
import type { Mood } from './mood.js';

export interface Offer {
  action: string;
  args: Record<string, string>;
  label: string;
}

const memo = (args: Record<string, string>) => (args.memo ? ` with the memo "${args.memo}"` : '');
const amountOf = (args: Record<string, string>) =>
  args.amount === 'all' ? 'your whole balance' : `${args.amount} PAC`;

const WHAT: Record<string, (args: Record<string, string>) => { text: string; label: string }> = {
  send: (a) => ({
    text: `That would send ${amountOf(a)} to ${a.to}${memo(a)}. I only draft it: you check and sign it yourself on a one-time page, and nothing moves before you sign.`,
    label: 'Draft it',
  }),
  send_many: (a) => ({
    text: `That would pay ${a.recipients?.split(',').length ?? 'several'} recipients in one batch transfer (${a.recipients})${memo(a)}. Nothing moves until you sign it on the page I link.`,
    label: 'Draft it',
  }),
  stake: (a) => ({
    text: `That would stake (bond) ${a.amount} PAC on validator ${a.validator}: the stake earns with the validator and stays locked until the validator is unstaked, after which it can be withdrawn when the unbonding period ends (about 21 days on mainnet).`,
    label: 'Draft the stake',
  }),
  stake_delegated: (a) => ({
    text: `That would create validator ${a.validator} with a delegated stake of 1,000 PAC (PIP-49): its owner gets ${a.share} PAC of each block reward and alone can unstake it after the delegation ends.`,
    label: 'Draft it',
  }),
  unstake: (a) => ({
    text: `Unstaking (unbonding) ${a.validator} takes its whole stake out of earning: Pactus always unbonds a validator's entire stake, never part of it. After the unbonding period (about 21 days on mainnet) the stake can be withdrawn.`,
    label: 'Draft the unstake',
  }),
  withdraw: (a) => ({
    text: `That would withdraw ${amountOf(a)} of the unbonded stake of ${a.validator}${a.to ? ` to ${a.to}` : ''}. It works only after the validator was unstaked and the unbonding period has passed.`,
    label: 'Draft the withdrawal',
  }),
  vote: (a) => ({
    text: `That would cast your ballot "${a.choice}" on proposal ${a.proposal}, signed with the key of your staking address; you can vote again until voting ends, and your latest ballot counts.`,
    label: `Vote ${a.choice}`,
  }),
  veto: (a) => ({
    text: `That would ask the team keys to veto proposal ${a.proposal} with the reason "${a.reason}".`,
    label: 'Draft the veto',
  }),
  unlink: (a) => ({
    text: `Unlinking ${a.address} removes it from your account here: I stop showing its balance, and it no longer counts for your votes or rewards through me. The address and its funds are not touched, and you can link it again.`,
    label: 'Yes, unlink it',
  }),
  link: (a) => ({
    text: `Linking ${a.address} proves you control it by signing a message on a one-time page (no funds move); then I can show its balance and draft from it.`,
    label: 'Link it',
  }),
  alerts: (a) => ({
    text: `That would turn ${a.state} ${a.kind ? `your ${a.kind} alerts` : 'all your alerts'}.`,
    label: `Turn ${a.kind ?? 'all alerts'} ${a.state}`,
  }),
  contact_save: (a) => ({
    text: `That would save ${a.address} in your contacts as "${a.name}".`,
    label: `Save as ${a.name}`,
  }),
  contact_forget: (a) => ({
    text: `That would remove "${a.name}" from your contacts (the address itself is not touched).`,
    label: `Forget ${a.name}`,
  }),
  schedule_payment: (a) => ({
    text: `That would remind you to pay ${a.amount} PAC to ${a.to} every ${a.every}, with a fresh link to sign each time; nothing is signed in advance.`,
    label: 'Set it up',
  }),
  schedule_stop: (a) => ({
    text: `That would stop recurring payment #${a.schedule}; payments already made are not touched.`,
    label: `Stop #${a.schedule}`,
  }),
  primary: (a) => ({
    text: `That would make ${a.address} the wallet I send from by default.`,
    label: 'Make it primary',
  }),
};

const AFTER: Record<Exclude<Mood, 'request' | 'negated' | 'retracted'>, string> = {
  question: 'If that is what you want, tap the button and I will draft it.',
  conditional: 'I cannot wait for a condition: ask me when you want it done, or tap the button now.',
  hypothetical: 'Nothing was drafted. If you do want it, tap the button.',
};

/** The words and the offered button for a request that was asked about rather than asked for. */
export function explainRequest(
  action: string,
  args: Record<string, string>,
  mood: Exclude<Mood, 'request' | 'negated' | 'retracted'>,
  advice: boolean,
): { reason: string; offer: Offer } | null {
  const what = WHAT[action]?.(args);
  if (!what) return null;
  const caution = advice ? ' I cannot tell you whether you should: that is your call.' : '';
  return {
    reason: `${what.text}${caution} ${AFTER[mood]}`,
    offer: { action, args, label: what.label },
  };
}

import { AddressType } from '../../pactus/address.js';
import type { Analysis, FoundAddress, FoundAmount } from './analysis.js';
import { VERBS, clarify, type Intent, type Rule } from './parser.js';
import { FEE_ADJUSTED, sendRule } from './send-rules.js';
import { balanceRule, cancelRule, helpRule } from './everyday-rules.js';
import { laterRefusal } from './gate.js';
import { couldBeName } from './vocabulary.js';

const isValidator = (f: FoundAddress) => f.parsed.address.type === AddressType.Validator;
const isAccount = (f: FoundAddress) => f.parsed.address.isAccount();

function withMemo(args: Record<string, string>, a: Analysis): Record<string, string> {
  return a.memo ? { ...args, memo: a.memo } : args;
}

/** The amount of a single-amount request; two numbers ("3 or 4 PAC") are never guessed between. */
function singleAmount(a: Analysis): FoundAmount | null | 'ambiguous' {
  if (a.amounts.length > 1) return 'ambiguous';
  return a.amounts[0] ?? null;
}

const QUESTION = /\b(when|how long|how do i|can i|could i)\b/;
/** "how do I stake?": the help for that action, not a half-made request. */
const HOW_TO = /\bhow (?:do|can|should|would) (?:i|you|we|one)\b|\bhow to\b/;
const helpOn = (topic: string): Intent => ({ action: 'help', args: { topic } });

const withdrawRule: Rule = (a, ctx) => {
  if (!VERBS.withdraw.test(a.words)) return null;
  const validator = a.addresses.find(isValidator);
  if (!validator && HOW_TO.test(a.words)) return helpOn('withdraw');
  if (!validator && QUESTION.test(a.words)) return { action: 'account', args: {} }; // "when can I withdraw?"
  if (!validator) return clarify('From which validator? Say "withdraw <amount> PAC from tpc1p...".');
  const account = a.addresses.find((f) => isAccount(f));
  // "... to carol": a name is resolved from the person's book when the action runs, as a send's is; a word there
  // that cannot be a name is asked about, never dropped (the withdrawal would go to the default account).
  const rest = a.words.slice(VERBS.withdraw.exec(a.words)?.index ?? 0); // not "I want to withdraw"
  const named = account
    ? undefined
    : (/\bto(?:\s+(?!@addr\b)(\S+)|\s*$)/.exec(rest)?.[1] ?? (/\bto\s*$/.test(rest) ? '' : undefined));
  if (named !== undefined && !/^(?:me|myself|my|mine)$/.test(named) && !couldBeName(named, true))
    return clarify(
      `Withdraw to which account? Say "withdraw <amount> PAC from ${validator.text} to tpc1..." or a contact's name.`,
    );
  const to = account
    ? ctx.addr(account)
    : named && !/^(?:me|myself|my|mine)$/.test(named)
      ? named
      : undefined;
  const amount = singleAmount(a);
  if (amount === 'ambiguous') return clarify('I see more than one amount; say exactly how much to withdraw.');
  // "my unbonded PAC" can only be all of it; "my stake" might still be bonded, so that one is asked.
  const unbonded = /\b(?:my|the|our)\s+(?:whole\s+|entire\s+)*unbonded\s+(?:stake|funds|pac|money|coins)\b/;
  const value = amount ? amount.value : a.all || unbonded.test(a.words) ? 'all' : null;
  // "withdraw my stake": the whole unbonded stake, most likely; asked, with that reading as a button.
  if (!value && /\b(?:my|the|our)\s+(?:whole\s+|entire\s+)*(?:stake|funds|pac|money)\b/.test(a.words))
    return {
      action: null,
      reason: `Withdraw all of the unbonded stake of ${validator.text}? Tap the button, or say how much.`,
      offer: {
        action: 'withdraw',
        args: { validator: ctx.addr(validator), amount: 'all', ...(to && { to }) },
        label: 'Withdraw all of it',
      },
    };
  if (!value) return clarify(`How much? Say "withdraw all from ${validator.text}" or give an amount.`);
  return {
    action: 'withdraw',
    args: withMemo({ validator: ctx.addr(validator), amount: value, ...(to && { to }) }, a),
  };
};

const unstakeRule: Rule = (a, ctx) => {
  if (!VERBS.unstake.test(a.words)) return null;
  const validator = a.addresses.find(isValidator);
  if (!validator && HOW_TO.test(a.words)) return helpOn('unstake');
  if (!validator && QUESTION.test(a.words)) return null;
  if (!validator) {
    if (a.addresses.length)
      return clarify('Unstaking needs the validator address (tpc1p...), not an account address.');
    return clarify('Which validator? Say "unstake tpc1p...".');
  }
  // "in half an hour" is a time, not a part of the stake: refused as a time the bot cannot keep (gate.ts).
  const later = laterRefusal(a);
  if (later) return later;
  // Pactus unbonds a validator's whole stake (payload/unbond.go has no amount): never read "50 PAC" as all.
  if (a.amounts.length > 0 || a.badAmount || /\b(half|part|portion|some|quarter|percent)\b/.test(a.words))
    return {
      action: null,
      reason: `Pactus cannot unstake part of a validator's stake: an unbond always takes out the whole stake of ${validator.text}, and it can be withdrawn after the unbonding period. If you mean the whole stake, tap the button.`,
      final: true,
      offer: {
        action: 'unstake',
        args: { validator: ctx.addr(validator) },
        label: 'Unstake the whole stake',
      },
    };
  return { action: 'unstake', args: withMemo({ validator: ctx.addr(validator) }, a) };
};

const stakeRule: Rule = (a, ctx) => {
  if (!VERBS.stake.test(a.words)) return null;
  const validator = a.addresses.find(isValidator);
  const amount = singleAmount(a);
  const asking =
    /\b(what|how much|show|check|is|are|when|status|info|information|details|overview)\b/.test(a.words) &&
    !amount;
  // "my unbonded stake", "the stake": the noun, not a request to stake.
  if (!amount && /\b(?:my|the|your|our|unbonded|whole|entire)\s+stake\b/.test(a.words)) return null;
  if (!validator) {
    if (HOW_TO.test(a.words)) return helpOn('stake');
    if (asking) return null; // "what's my stake": an account question
    if (/\bshould\b/.test(a.words))
      return clarify('I cannot give investment advice, but I can show your stake or draft a bond.');
    if (a.addresses.length)
      return clarify('Staking needs a validator address (tpc1p...), not an account address.');
    return clarify('Which validator? Say "stake <amount> PAC to tpc1p...".');
  }
  if (amount === 'ambiguous') return clarify('I see more than one amount; say exactly how much to stake.');
  if (!amount) {
    if (asking) return null;
    return clarify(`How much should I stake on ${validator.text}? Stakes are 1 to 1,000 PAC.`);
  }
  const from = a.addresses.find((f) => isAccount(f));
  return {
    action: 'stake',
    args: withMemo(
      {
        validator: ctx.addr(validator),
        amount: amount.value,
        ...(a.publicKeys[0] && { public_key: a.publicKeys[0].toLowerCase() }),
        ...(from && { from: ctx.addr(from) }),
      },
      a,
    ),
  };
};

const statusRule: Rule = (a) => {
  if (a.txIds.length === 0) return null;
  if (a.txIds.length > 1) return clarify('One transaction at a time, please.');
  return { action: 'tx_status', args: { id: a.txIds[0]! } };
};

const linkRule: Rule = (a, ctx) => {
  const unlinking = VERBS.unlink.test(a.words);
  if (unlinking && a.addresses.length === 1)
    return { action: 'unlink', args: { address: ctx.addr(a.addresses[0]!) } };
  if (
    /\b(primary|default|main)\b/.test(a.words) &&
    a.addresses.length === 1 &&
    /\b(make|set|use|switch|change)\b/.test(a.words)
  )
    return { action: 'primary', args: { address: ctx.addr(a.addresses[0]!) } };
  // An amount is never part of linking a wallet: "add 7 PAC to my stake on tpc1p..." is a stake.
  if (!unlinking && VERBS.link.test(a.words) && !VERBS.send.test(a.words) && !a.amounts.length) {
    if (a.addresses.length === 1) return { action: 'link', args: { address: ctx.addr(a.addresses[0]!) } };
    if (a.addresses.length === 0 && /\b(wallet|address|account)\b/.test(a.words))
      return clarify('Which address? Say "link tpc1..." with your wallet address.');
  }
  if (
    /\b(my|linked|list)\b.*\b(addresses|wallets|accounts)\b|\b(?:which|what) (wallets|addresses)\b|\bwhich (?:wallet|address|account) is (?:my )?(?:primary|default|main|linked)\b/.test(
      a.words,
    ) &&
    a.addresses.length === 0
  )
    return { action: 'my_addresses', args: {} };
  if (!unlinking && VERBS.link.test(a.words) && HOW_TO.test(a.words)) return helpOn('link');
  return null;
};

/** "is tpc1p... still active?", "is my validator jailed": a validator's state is what its account shows. */
const VALIDATOR_STATE =
  /\b(?:active|online|offline|jailed|running|alive|up|down|bonded|unbonded|in the committee)\b/;

const accountRule: Rule = (a, ctx) => {
  const about =
    /\b(staked|staking|stake|stakes|bonded|validator|validators|account info|account|unbonding)\b/.test(
      a.words,
    ) ||
    (a.addresses.length === 1 && isValidator(a.addresses[0]!) && VALIDATOR_STATE.test(a.words));
  if (!about) return null;
  // "how much is bonded", "how much is staked": the person's own stake, said without "my".
  if (
    a.addresses.length === 0 &&
    /^how much (?:pac )?(?:is|have i|do i have) (?:bonded|staked)\b/.test(a.words)
  )
    return { action: 'account', args: {} };
  // "how much pac is in my account" asks for a balance.
  if (
    /\bhow much (?:pac |money )?(?:is |do i have )?(?:in|on) (?:my|the) account\b|\bwhat do i have in my account\b/.test(
      a.words,
    ) &&
    !/\bstak/.test(a.words)
  )
    return null;
  // "staking info", "stake status": about the person's own stake, said without "my".
  const ownByDefault =
    /^(?:staking|stake|my stake|my staking)\s+(?:info|information|status|details|overview)$/.test(
      a.words.trim(),
    );
  if (
    a.addresses.length === 0 &&
    !ownByDefault &&
    !/\b(my|mine|staked|i have|i've|i am|am i|i'm)\b/.test(a.words)
  )
    return null;
  if (a.addresses.length > 1) return clarify('Ask about one address at a time, please.');
  return { action: 'account', args: a.addresses[0] ? { address: ctx.addr(a.addresses[0]) } : {} };
};

const feeRule: Rule = (a) => {
  const costs =
    /\b(fees?|cost|costs|charge)\b|\bhow expensive\b|\bhow much (?:is|does|would|will) (?:it (?:cost )?to |a |an |one )?(?:transfer|transaction|send|sending|payment|stake|staking|bond|bonding|unstake|unstaking|unbond|unbonding|withdrawal|withdraw|withdrawing)\b(?! (?:on|in|at|from|with)\b)/.test(
      a.words,
    );
  // "send 5 PAC plus fees to alice" is a payment that does not say what should arrive: the send rule asks.
  if (!costs || (FEE_ADJUSTED.test(a.words) && /^(?:send|pay|transfer|give|tip|wire)\b/.test(a.words)))
    return null;
  const kind = VERBS.unstake.test(a.words)
    ? 'unstake'
    : VERBS.withdraw.test(a.words)
      ? 'withdraw'
      : /\b(stake|staking|bond|bonding|delegate)\b/.test(a.words)
        ? 'stake'
        : /\bbatch|many|several\b/.test(a.words)
          ? 'batch'
          : 'transfer';
  const amount = a.amounts[0]?.value;
  return { action: 'fee', args: { ...(amount && { amount }), ...(kind !== 'transfer' && { kind }) } };
};

/** Order matters: fee questions mention "send", withdraw mentions amounts, and so on. */
export const walletRules: Rule[] = [
  helpRule,
  statusRule,
  feeRule,
  linkRule,
  withdrawRule,
  unstakeRule,
  stakeRule,
  sendRule,
  accountRule,
  balanceRule,
  cancelRule,
];

export type { Intent };

// Everyday questions: money ("show me my money", "how rich am I", "alice's balance"), drafts to cancel ("show my
// pending drafts", "cancel a7b3c9d1") and help ("what can I ask you").
import { VERBS, clarify, type Intent, type Rule } from './parser.js';
import { couldBeName } from './vocabulary.js';

const MONEY = '(?:money|funds|balance|pacs?|coins?|holdings|savings|cash|tokens)';
const MY_MONEY = new RegExp(
  [
    `\\b(?:show|check|see|view|display|tell|give|get|what(?:'s| is| are)|how much|how many)\\b(?:\\s+\\w+){0,3}\\s+(?:my|mine)\\s+${MONEY}\\b`,
    `\\bmy\\s+${MONEY}\\b`,
    `\\bhow (?:rich|broke|poor) am i\\b|\\bam i (?:rich|broke|poor)\\b`,
    `\\bdo i (?:have|own|hold)\\b(?:\\s+(?:any|some|enough))?\\s+${MONEY}\\b`,
    `\\bwhat(?:'s| is| do i have) in my (?:wallets?|accounts?)\\b`,
    `\\bhow much (?:${MONEY}\\s+)?(?:do i|have i|is (?:in|on|left)|i have|i've got|left)\\b`,
    `\\bwhat do i (?:have|own|hold)\\b`,
    // "how many coins have I got left", "how many tokens do I have"
    `\\bhow (?:much|many) ${MONEY}\\s+(?:do i|have i|did i|i have|i've got|i got|are left|is left)\\b`,
  ].join('|'),
);
/** "how much compute have I done", "how much time is left": an amount of something other than money. */
const OTHER_QUANTITY = new RegExp(
  `\\bhow much (?!(?:${MONEY}|pac|is|do|does|did|have|has|had|i|in|on|at|left|more|of|can|could|would|will|am|are|was|money|stake|staked|bonded)\\b)[a-z]+ (?:have|has|did|do|is|are|was)\\b`,
);
/** Someone in the person's address book: "alice's balance", "balance of alice", "how much does bob have". */
const NAMED = [
  /\b([a-z][a-z0-9_-]*)'s (?:balance|wallet|funds|money)\b/,
  /\bbalance (?:of|for) ([a-z][a-z0-9_-]*)\b/,
  /\bhow much (?:pac |money )?(?:does|has) ([a-z][a-z0-9_-]*) (?:have|got|hold|own)\b/,
  /\bwhat does ([a-z][a-z0-9_-]*) (?:have|hold|own)\b/,
];

export const balanceRule: Rule = (a, ctx) => {
  const named = a.addresses.length
    ? null
    : NAMED.map((p) => p.exec(a.words)?.[1]).find((n) => n !== undefined && couldBeName(n, true));
  if (named) return { action: 'balance', args: { address: named } };
  const asks =
    VERBS.balance.test(a.words) ||
    MY_MONEY.test(a.words) ||
    (/\bhow much\b/.test(a.words) &&
      /\b(in|on|at|has|have|hold|holds)\b/.test(a.words) &&
      !OTHER_QUANTITY.test(a.words)) ||
    (a.addresses.length === 1 && /\bwhat does @addr (?:have|hold|own)\b/.test(a.words));
  // An address alone, or with "check"/"look up": what it holds.
  const justAddress =
    a.addresses.length === 1 &&
    /^(?:(?:check|show|look ?up|lookup|info(?: on| about)?|about|what about|details(?: of| on)?)\s+)?@addr$/.test(
      a.words.trim(),
    );
  if (!asks && !justAddress) return null;
  if (a.addresses.length > 1) return clarify('Ask about one address at a time, please.');
  return { action: 'balance', args: a.addresses[0] ? { address: ctx.addr(a.addresses[0]) } : {} };
};

const DRAFTS =
  /\b(?:drafts?|pending|unsigned|signing links?|links?|requests?|transactions?|txs?|it|that|this|(?:the |my )?(?:last|latest|previous) one)\b/;

/**
 * "cancel", "cancel my drafts", "show my pending drafts": the list of pending drafts with a button each;
 * "cancel a7b3c9d1" (the id the list shows) cancels that one. Money verbs in the same message are left to the
 * gate ("cancel send 5 PAC to ..." takes the request back).
 */
export const cancelRule: Rule = (a): Intent | null => {
  if (a.addresses.length || VERBS.send.test(a.words) || VERBS.stake.test(a.words)) return null;
  const handle =
    /\b(?:cancel|abort|revoke|void|discard|scrap|drop|delete|kill|remove)\s+(?:draft\s+)?#?([0-9a-f]{6,64})\b/.exec(
      a.raw.toLowerCase(),
    );
  if (handle && (/\d/.test(handle[1]!) || handle[1]!.length >= 8))
    return { action: 'cancel', args: { draft: handle[1]! } };
  // "cancel all", "drop all my drafts": every pending draft, which the gate holds to a clear request.
  const all: Record<string, string> = /\b(?:all|every)\b/.test(a.words) ? { draft: 'all' } : {};
  if (/^(?:please\s+)?(?:cancel|abort)(?:\s+(?:please|it|that))?$/.test(a.words))
    return { action: 'cancel', args: {} };
  if (/^(?:please\s+)?(?:cancel|abort)\s+all(?:\s+please)?$/.test(a.words))
    return { action: 'cancel', args: { draft: 'all' } };
  const cancelling =
    (/\b(?:cancel|abort|revoke|void|discard|scrap)\b/.test(a.words) && DRAFTS.test(a.words)) ||
    /\b(?:delete|remove|drop|scrap|throw away|throw out|bin|trash|get rid of)\s+(?:my\s+|the\s+|that\s+|this\s+|all\s+|every\s+|each\s+|pending\s+|of\s+)*(?:drafts?|signing links?)\b/.test(
      a.words,
    );
  const listing =
    /\b(?:show|list|see|view|what are|which are|any)\b.*\b(?:pending|unsigned|open)\s+(?:drafts?|transactions?|requests?)\b|\b(?:my|pending|unsigned)\s+drafts\b|\bdrafts?\s+(?:are\s+|is\s+)?(?:still\s+)?(?:open|pending|waiting|unsigned)\b/.test(
      a.words,
    );
  if (cancelling) return { action: 'cancel', args: all };
  if (listing) return { action: 'cancel', args: {} };
  return null;
};

export const helpRule: Rule = (a) => {
  if (a.raw === '?') return { action: 'help', args: {} };
  if (
    /^(help|\?|commands|menu|start|help me|help please|please help)$|\bwhat can (?:you|this bot|the bot|it) do\b|\bi'?m lost\b|\bi am lost\b|\bhow (does this|do you|does it|does (?:this|the) (?:bot|thing|app|wallet bot)) work\b|\bwhat do you do\b|^help\b|\bwhat (?:can|should) i (?:do|ask|say|type)\b|\bwhat are (?:your|the) commands\b|\b(?:i need|need some|i want) help\b|\bhow (?:do|can|should) i use (?:you|this|the bot|it)\b|\b(?:show|list) (?:me )?(?:the |your |all )?commands\b/.test(
      a.words,
    )
  )
    return { action: 'help', args: {} };
  return null;
};

import { clarify, refuse, type Intent, type Rule } from './parser.js';
import { COUNT, countOf } from './vocabulary.js';

/** "proposal 3", "proposal #3", "proposal three", "number four", "#5", "on 3", "the first proposal". */
const NUMBER = new RegExp(
  `(?:proposal|prop|#|number|no\\.?)\\s*#?\\s*(${COUNT})\\b|\\bon\\s+#?(\\d{1,6})\\b|#(\\d{1,6})\\b|\\b(${COUNT})\\s+(?:proposal|prop)\\b`,
);

function proposalNumber(words: string, raw: string): string | null {
  const m = NUMBER.exec(words) ?? NUMBER.exec(raw.toLowerCase());
  if (!m) return null;
  const n = countOf((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return n === null ? null : String(n);
}

/** "proposal -1": numbers start at 1 (a minus sign would otherwise vanish with the punctuation). */
const NEGATIVE = /(?:proposal|prop|#|number)\s*#?\s*[-\u2212\u2013\u2014]\s*\d/i;
const negative = () => refuse('Proposal numbers start at 1 (see "proposals" for the list).');

/** A ballot with no choice: asked, with each choice as a button and none preferred. */
function askBallot(id: string): Intent {
  return {
    action: null,
    reason: `How do you vote on proposal ${id}: yes, no or abstain? Tap one, or say for example "vote no on proposal ${id}".`,
    choices: (['yes', 'no', 'abstain'] as const).map((choice) => ({
      action: 'vote',
      args: { proposal: id, choice },
      label: `Vote ${choice} on #${id}`,
    })),
  };
}

/** "my vote for", "the ballot for": the noun and the proposal it is for. */
const BALLOT_NOUN_FOR = /\b((?:my|our|a|the|this|that)\s+(?:votes?|ballots?))\s+for\b/g;

const voteRule: Rule = (a) => {
  // "what's up for vote": the list of proposals (proposalsRule), not a ballot.
  if (/\bup for (?:a )?vote\b/.test(a.words)) return null;
  const voting = /\b(vote|voting|abstain)\b/.test(a.words);
  if (!voting || /\bpower\b/.test(a.words)) return null;
  // "vote for proposal 5" supports it; "cast my vote for proposal 10", "count my vote for #4" name the ballot,
  // not a choice: there "for" says which proposal, and the choice is asked.
  const stance = a.words.replace(BALLOT_NOUN_FOR, '$1 on');
  const choice = /\babstain\b/.test(stance)
    ? 'abstain'
    : /\b(yes|yay|yea|yeah|yep|aye|for|approve|support|in favou?r)\b/.test(stance)
      ? 'yes'
      : /\b(no|nay|against|reject|oppose)\b/.test(stance)
        ? 'no'
        : null;
  if (NEGATIVE.test(a.raw)) return negative();
  const id = proposalNumber(a.words, a.raw);
  if (/\bhow\b/.test(a.words) && !id) return { action: 'help', args: { topic: 'vote' } };
  // "is there anything to vote on?", "what can I vote on": the open proposals.
  if (
    !id &&
    !choice &&
    !a.amounts.length &&
    !a.addresses.length &&
    /\b(?:anything|something|what|whats|what's|which)\b/.test(a.words)
  )
    return { action: 'proposals', args: {} };
  if (!id) return clarify('Which proposal? Say for example "vote yes on proposal 3" (see "proposals").');
  if (!choice) return askBallot(id);
  const addresses = a.addresses.map((f) => f.text.toLowerCase());
  return {
    action: 'vote',
    args: { proposal: id, choice, ...(addresses.length && { addresses: addresses.join(', ') }) },
  };
};

/**
 * "I approve proposal 3", "I'm against proposal 4", "yes to proposal 5": a stance without the word "vote" is most
 * likely a vote, but a vote is signed: asked, with that ballot as the button.
 */
const STANCE =
  /\b(?:i\s+)?(?:approve|support|back|endorse|oppose|reject|i'?m (?:for|against|in favou?r of)|i am (?:for|against|in favou?r of)|count me (?:in favou?r of|for|against|in)|(?:yes|yea|yay|aye|nay|no|thumbs up|thumbs down) (?:to|on|for))\b|(?:^|\s)[+-]1 (?:on|to|for)\b/;
/** 👍/👎 before "on proposal 3" stand for yes/no: read from the message itself (the words drop emoji). */
const THUMBS = /(?:👍|👎)\S*\s+(?:on|to|for)\b/u;
const AGAINST =
  /\b(?:oppose|reject|against|no to|nay to|(?:no|nay|thumbs down) (?:on|for))\b|(?:^|\s)-1 (?:on|to|for)\b|👎/u;
const stanceRule: Rule = (a) => {
  if (/\b(vote|voting|abstain|power)\b/.test(a.words)) return null;
  if (!STANCE.test(a.sentence) && !THUMBS.test(a.raw)) return null;
  const id = proposalNumber(a.words, a.raw);
  if (!id) return null;
  // "I don't support proposal 3" is not a yes, and not surely a no either.
  if (/\b(?:don'?t|do not|not|never|no longer|won'?t|can'?t)\b/.test(a.words))
    return clarify(
      `How do you vote on proposal ${id}: yes, no or abstain? Say for example "vote no on proposal ${id}".`,
    );
  const choice = AGAINST.test(a.sentence) || AGAINST.test(a.raw) ? 'no' : 'yes';
  return {
    action: null,
    reason: `Do you want to vote ${choice} on proposal ${id}? Your ballot is signed on a one-time page; tap the button to get it.`,
    offer: { action: 'vote', args: { proposal: id, choice }, label: `Vote ${choice} on #${id}` },
  };
};

/**
 * "yes on proposal 6", "nay on proposal 7", "+1 on proposal 7", "👎 on proposal 7", "count me in as a yes on
 * proposal 4", "put me down as abstaining on proposal 3": a ballot said in the ballot's own words, without "vote".
 * The choice opens the message (after greetings); anything else about a proposal is a stance, and only offered.
 */
const BALLOT =
  /^(?:(?:hi|hey|hello|yo|morning|good morning|ok|okay|bot|please|pls|plz)[\s,!.]+)*(?:(?:count me(?: in)?|put me down|mark me(?: down)?) (?:as )?(?:an? )?|count me )?(yes|yea|yay|aye|no|nay|abstain|abstaining|\+1|-1|👍|👎|thumbs up|thumbs down|in favou?r of)\s*(?:on|for|to|of)?\s+(?:the\s+[\p{L}\p{N}-]+\s+)?(?:proposal|prop)\b/u;

const ballotRule: Rule = (a) => {
  if (/\b(vote|voting|power)\b/.test(a.words)) return null;
  const text = a.raw
    .toLowerCase()
    .replace(/(?![👍👎])[\p{Extended_Pictographic}\uFE0F]/gu, ' ')
    .replace(/^[^\p{L}\p{N}+\-👍👎]+/u, '')
    .replace(/\s+/g, ' ');
  const m = BALLOT.exec(text);
  if (!m) return null;
  const id = proposalNumber(a.words, a.raw);
  if (!id) return null;
  const word = m[1]!;
  const choice = /^abstain/.test(word)
    ? 'abstain'
    : /^(?:no|nay|-1|👎|thumbs down)$/u.test(word)
      ? 'no'
      : 'yes';
  return { action: 'vote', args: { proposal: id, choice } };
};

const vetoRule: Rule = (a) => {
  if (!/\bveto\b/.test(a.words)) return null;
  const id = proposalNumber(a.words, a.raw);
  const reason = (/\b(?:because|reason:?|since|as)\s+(.+)$/i.exec(a.raw) ??
    /\bveto\s+(?:proposal\s+|prop\s+)?#?\s*\w+\s*[:\-–—]\s*(.{3,})$/i.exec(a.raw))?.[1]?.trim();
  if (!id) return clarify('Which proposal? Say "veto proposal 3 because <reason>".');
  if (!reason) return clarify(`A veto needs a public reason: "veto proposal ${id} because ...".`);
  return { action: 'veto', args: { proposal: id, reason } };
};

const powerRule: Rule = (a) => {
  if (
    !/\b(voting power|vote power|votes? do i have|how much can i vote|my power|vote weight|voting weight|how strong is my vote|how many votes (?:does|do|has|have)|(?:does|will|would) my vote (?:weigh|count for)|how much (?:is|does) my vote (?:worth|weigh))\b/.test(
      a.words,
    )
  )
    return null;
  const id = proposalNumber(a.words, a.raw);
  const address = a.addresses[0]?.text.toLowerCase();
  return { action: 'voting_power', args: { ...(id && { proposal: id }), ...(address && { address }) } };
};

const proposalsRule: Rule = (a) => {
  if (
    (/\bpropose\b/.test(a.words) && !/\bproposals?\b/.test(a.words)) ||
    /\b(?:create|start|make|submit|open|write|draft|put up|put forward|raise)\s+(?:a\s+|new\s+|my\s+)*proposal\b(?!\s*#?\s*\d)/.test(
      a.words,
    )
  )
    return clarify(
      'To start a proposal, use /propose with a title, the text and a voting period, for example "/propose Lower the minimum fee | The fee should be 0.001 PAC because ... | 3d". It needs 100 PAC of staked voting power.',
    );
  const ballot = /\b(?:what(?:'s| is)?|anything) on the ballot\b|\bwhat can i vote on\b/.test(a.words);
  if (ballot) return { action: 'proposals', args: {} };
  // "show #4", "what is #3 about?": a number on its own is a proposal's (schedules and drafts are named).
  const bare =
    /^(?:show(?: me)?|open|details (?:of|on|for)|tell me about|what(?:'s| is| was)|info (?:on|about))\s+#(\d{1,6})(?:\s+about)?$/.exec(
      a.words,
    );
  if (bare) return { action: 'proposal', args: { proposal: String(Number(bare[1])) } };
  if (!/\b(proposals?|props?|dao|governance|being voted|up for (a )?vote|polls?|open votes)\b/.test(a.words))
    return null;
  if (NEGATIVE.test(a.raw)) return negative();
  const id = proposalNumber(a.words, a.raw);
  if (id) return { action: 'proposal', args: { proposal: id } };
  if (
    /\b(proposals|list|show|open|active|current|any|what|dao|governance|being voted|up for)\b/.test(a.words)
  )
    return { action: 'proposals', args: {} };
  return null;
};

const rewardsRule: Rule = (a) => {
  if (!/\b(rewards?|earned|earnings|earn)\b/.test(a.words)) return null;
  if (/\breport\b/.test(a.words)) return { action: 'rewards_report', args: {} };
  if (
    (/\bpayouts?\b/.test(a.words) && /\b(run|make|create|draft|do|start)\b|^rewards? payout/.test(a.words)) ||
    /\bpay out (?:the |all )?rewards\b/.test(a.words)
  )
    return { action: 'rewards_payout', args: {} };
  return { action: 'rewards', args: {} };
};

/** DAO and rewards phrasings; they run before the wallet rules ("vote no" must not read as a refusal to send). */
export const governanceRules: Rule[] = [
  vetoRule,
  powerRule,
  ballotRule,
  voteRule,
  stanceRule,
  proposalsRule,
  rewardsRule,
];

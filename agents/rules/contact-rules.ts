// The address book and history in everyday words: "save tpc1... as alice", "add tpc1... to my contacts as bob",
// "remember tpc1... as mary-jane", "save alice as tpc1...", "forget alice", "delete bob from my contacts", "my
// contacts", "my last transactions". A name is read whole from the message ("this-is-a-very-long-name" is not
// "this") and refused with the reason when it cannot be a name.
import { contactNameProblem } from '../../wallet/contacts.js';
import type { Analysis } from './analysis.js';
import { clarify, refuse, type Intent, type Rule, type RuleContext } from './parser.js';
import { couldBeName, withoutCourtesy } from './vocabulary.js';

const SAVE_VERB = /\b(?:save|add|remember|store|label|call|name|record|keep)\b/;
/** What may follow a name without being part of it. */
const TRAILER =
  /\s+(?:please|pls|plz|thanks|thank you|thx|ty|cheers|now)(?:\s+(?:a lot|so much|very much|again))?\s*[.!]*$|\s+(?:to|in|into|on)\s+(?:my\s+|the\s+)?(?:contacts?|contact list|address book|phonebook|book)\b[\s\S]*$|\s*[.!?,;:)]+\s*$/i;
const CONTACTS_PLACE =
  /\b(?:to|in|into)\s+(?:my\s+|the\s+)?(?:contacts?|contact list|address book|book|phonebook)\b/;

/** The text after the name marker, up to what may follow a name: the name as typed (one word or several). */
function nameAfter(body: string, marker: RegExp): string | null {
  const m = marker.exec(body);
  if (!m) return null;
  let rest = body.slice(m.index + m[0].length).trim();
  rest = rest.replace(/^["'“‘`]+/, '');
  for (let i = 0; i < 3; i++) rest = rest.replace(TRAILER, '').replace(/["'”’`]+$/, '');
  return rest.trim() || null;
}

/** "my friend bob", "my sister ann": the name is the last word. */
const RELATION =
  /^(?:my|our|the)\s+(?:good\s+|best\s+|old\s+|dear\s+)?(?:friend|mate|buddy|pal|mom|mum|dad|mother|father|brother|sister|bro|sis|wife|husband|partner|boss|colleague|coworker|son|daughter|cousin|uncle|aunt|neighbou?r|landlord|roommate|girlfriend|boyfriend|client|customer|supplier|employee)\s+(?=\S+$)/i;

function saveIntent(a: Analysis, ctx: RuleContext, written: string): Intent {
  const typed = written.replace(RELATION, '');
  const problem = contactNameProblem(typed);
  if (problem) return refuse(`${problem} Nothing was saved.`);
  return {
    action: 'contact_save',
    args: { address: ctx.addr(a.addresses[0]!), name: typed.trim().toLowerCase() },
  };
}

/**
 * The name written before its address: "save alice as tpc1...", "add alice: tpc1...", "remember alice's address
 * is tpc1...", "new contact alice tpc1...", "alice = tpc1...". The address is one only a save can carry here.
 */
const NAME_FIRST = [
  /\b(?:save|add|remember|store)\s+([a-z][\w-]*?)(?:'s)?(?:\s*[:=]|\s+(?:as|with (?:the )?address|at|is|(?:address|wallet) is))\s*@addr\b/i,
  /\bnew contact\s*:?\s+([a-z][\w-]*)\s*[:=]?\s*@addr\b/i,
  // "add amara to my contacts: tpc1...", "save kofi in my address book as tpc1..."
  /\b(?:save|add|remember|store|put)\s+([a-z][\w-]*)\s+(?:to|in|into|on)\s+(?:my\s+|the\s+)?(?:contacts?|contact list|address book|phonebook|book)\s*(?:[:=-]|as|with(?: the)? address|at)?\s*@addr\b/i,
  /(?:^|[^\w\s-]\s*|^\W*\w+\W+)([a-z][\w-]*)\s*=\s*@addr\b/i,
  // "tpc1... is haruto, save it please": the address said first, then its name and the save.
  /^@addr is ([a-z][\w-]*)\b[\s,.;:!-]*(?:(?:please|pls|so|ok|okay|and)\s+)?(?:save|remember|store|add) (?:it|that|this|him|her|them)\b/i,
  // "kofi is tpc1..., save it": the name said first, then the save.
  /^([a-z][\w-]*)(?:'s (?:address|wallet))? is @addr\b[\s,.;:!-]*(?:(?:please|pls|so|ok|okay|and)\s+)?(?:save|remember|store|add) (?:it|that|this|him|her|them)\b/i,
];

function readSave(a: Analysis, ctx: RuleContext): Intent | null {
  if (a.addresses.length === 0) return null;
  if (a.addresses.length === 1) {
    const body = a.raw.replace(/\b(?:t?pc1[a-z0-9]{6,})\b/gi, '@addr');
    for (const pattern of NAME_FIRST) {
      const m = pattern.exec(body);
      if (m && couldBeName(m[1]!.toLowerCase(), true)) return saveIntent(a, ctx, m[1]!);
    }
  }
  if (!SAVE_VERB.test(a.words)) return null;
  if (
    !CONTACTS_PLACE.test(a.words) &&
    !/\b(?:as|under|named|called)\b/.test(a.words) &&
    !/^(?:call|name|label) @addr [a-z]/.test(withoutCourtesy(a.words))
  )
    return null;
  if (a.addresses.length > 1) return clarify('Save one address at a time: "save tpc1... as alice".');
  // The whole message: a "memo"/"note" word after the name is part of what was typed, not a memo.
  const body = a.raw.replace(/\b(?:t?pc1[a-z0-9]{6,})\b/gi, '@addr');
  // "save alice as tpc1...", "add alice with address tpc1...", "save alice: tpc1..."
  const reversed =
    /\b(?:save|add|remember|store)\s+([a-z][\w-]*)\s+(?:as|with (?:the )?address|at|:|=|is)\s+@addr\b/i.exec(
      body,
    );
  if (reversed && couldBeName(reversed[1]!.toLowerCase(), true)) return saveIntent(a, ctx, reversed[1]!);
  // "call tpc1... dave", "name tpc1... dave"
  const called = /\b(?:call|name|label)\s+@addr\s+([a-z][\w-]*)\s*[.!]?$/i.exec(body);
  if (called) return saveIntent(a, ctx, called[1]!);
  const typed =
    nameAfter(body, /\bunder\s+(?:the\s+)?name\s+|\bas\s+(?:the\s+)?name\s+|\bnamed\s+|\bcalled\s+/i) ??
    nameAfter(body, /@addr\b.*?\b(?:as|under)\s+/i) ??
    nameAfter(body, /\b(?:as|under)\s+/i);
  if (!typed) return clarify('Under which name? Say "save tpc1... as alice".');
  return saveIntent(a, ctx, typed);
}

const FORGET =
  /\b(?:forget|delete|remove|erase|drop)\s+(?:about\s+)?(?:the\s+)?(?:contact\s+|name\s+)?([a-z][a-z0-9_-]{0,40})(?:\s+(?:from|off|out of)\s+(?:my\s+|the\s+)?(?:contacts?|contact list|address book|book|phonebook))?(?:\s+(?:please|pls|now|thanks|thank you))?$/;

function readForget(a: Analysis): Intent | null {
  if (a.addresses.length) return null;
  const m = FORGET.exec(a.words);
  if (!m) return null;
  const name = m[1]!;
  const inBook = /\b(?:contacts?|contact list|address book|phonebook)\b/.test(a.words);
  // "forget it" is a take-back and "delete my draft" is not about contacts: only a word that can be a name counts.
  if (!couldBeName(name, true) || ['draft', 'drafts', 'it', 'that', 'this'].includes(name)) return null;
  // Outside the address book's words, only "forget NAME" or a verb with one name and nothing else ("delete alice").
  const plain = withoutCourtesy(a.words).replace(/\s+(?:please|pls|now|thanks)$/, '');
  if (
    !inBook &&
    !/^(?:forget|delete contact|remove contact|erase contact)\b/.test(plain) &&
    !new RegExp(`^(?:delete|remove|erase|drop) ${name}$`).test(plain)
  )
    return null;
  return { action: 'contact_forget', args: { name } };
}

/** There is no rename: reading one as a save or a forget would change the book in a way nobody asked for. */
const RENAME = /\brename\b|\bchange\s+(?:the\s+)?(?:contact\s+)?(?:name\s+of\s+)?[a-z][\w-]*(?:'s)?\s+name\b/;

const contactRule: Rule = (a, ctx) => {
  if (RENAME.test(a.words))
    return clarify(
      'I cannot rename a contact in one step: say "forget <old name>", then "save <address> as <new name>" ("my contacts" shows the address).',
    );
  const save = readSave(a, ctx);
  if (save) return save;
  const forget = readForget(a);
  if (forget) return forget;
  if (
    /\b(?:contacts|contact list|address book|saved addresses|saved contacts|saved names|phonebook)\b/.test(
      a.words,
    ) &&
    !a.addresses.length
  )
    return { action: 'contacts', args: {} };
  return null;
};

const historyRule: Rule = (a) => {
  if (a.addresses.length || a.txIds.length || /\b(?:pending|drafts?|cancel|abort|unsigned)\b/.test(a.words))
    return null;
  if (
    /\b(?:history|(?:any|new)\s+(?:incoming\s+)?(?:payments?|transfers?|deposits?)|did i (?:get|receive) (?:anything|any\s+\w+|paid)|(?:last|recent|past|previous|latest|my|old)\s+(?:\w+\s+)?(?:transactions?|transfers?|payments?|txs?|activity)|transactions? (?:i (?:made|did|sent))|(?:transactions?|transfers?|payments?) (?:have|did) i (?:made|make|done|do|sent|send)|what (?:did|have) i (?:send|sent|pay|paid|receive|received|get|got)|what i (?:sent|paid|received)|(?:sent|paid|received) (?:lately|recently)|(?:transaction|tx|payment|transfer|activity) (?:log|list|record|records|feed))\b/.test(
      a.words,
    )
  )
    return { action: 'history', args: {} };
  return null;
};

export const contactRules: Rule[] = [contactRule, historyRule];

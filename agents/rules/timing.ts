// When a payment should happen, if not now. The bot drafts a payment now or not at all, so any time or condition
// it cannot keep ("on payday", "after lunch", "tonight", "when I get paid", "next week", "on the 15th") makes the
// request a question, never a draft for now (issue 29: the old list knew "tomorrow" and weekdays, and "send 12 PAC
// to ahmed on payday" was drafted at once). The class is read broadly on purpose: a false alarm costs one question,
// a miss moves money at the wrong time.

const DAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\\b';
const MONTH =
  'january|february|march|april|june|july|august|september|october|november|december|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)(?= \\d)|may(?= \\d)';
const COUNT =
  '\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|few|a few|couple(?: of)?|a couple(?: of)?|half an?|several';
const UNIT =
  'sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?|wks?|months?|mos?|years?|yrs?|bit|while|moment';
/** Moments of a day or a life that are not now: "payday", "lunch", "the weekend", "my birthday". */
const MOMENT = `pay ?day|pay ?check|salary(?: day)?|payroll|(?:the )?(?:end|start|beginning|middle) of (?:the |this |next )?(?:day|week|month|year|quarter)|month end|eo[dwm]|lunch(?:time)?|dinner|breakfast|brunch|supper|the weekend|weekend|morning|evening|afternoon|night|noon|midday|midnight|christmas|xmas|new year'?s?(?: eve| day)?|easter|the holidays|holidays?|(?:my|his|her|their|your) birthday|birthday|${DAY}|${MONTH}|(?:the )?\\d{1,2}(?:st|nd|rd|th)|the (?:first|second|third|fourth|fifth|tenth|fifteenth|twentieth|last)(?: day)?(?: of (?:the |this |next )?month)?`;

/** "on the 2nd validator", "the first address": an ordinal that picks a thing, not a day. */
const NOT_A_TIME =
  '(?:validators?|address(?:es)?|wallets?|accounts?|ones?|proposals?|contacts?|recipients?|nodes?|links?|drafts?|of (?:my|the|those|these|your) [a-z]+)';

/** The subjects a condition clause starts with: "when I get paid", "once it clears", "after alice confirms". */
const SUBJECT =
  "i|i'm|im|we|you|u|he|she|they|it|it's|its|my|our|his|her|their|the|this|that|[a-z][a-z0-9_-]+ (?:is|gets?|has|pays?|confirms?|replies|answers|sends?|says|arrives?)";

const LATER = new RegExp(
  [
    `\\b(?:tomorrow|tmrw|tmr|tmw|tomoz|tonight|tonite|later|soon|sometime|someday|some day|eventually|overnight|the day after(?: tomorrow)?)\\b`,
    `\\b(?:next|this coming|coming) (?:[a-z]+)\\b`,
    `\\bthis (?:evening|afternoon|morning|weekend|week|month|year|${DAY})\\b`,
    `\\b(?:on|by|until|till|til|before|after|at|around|from|starting|come|over|during|in the|on the|at the|by the|after the|before the)\\s+(?:the |my |our |next |this )?(?:${MOMENT})\\b(?! ${NOT_A_TIME})`,
    `\\b(?:after|before|until|till) (?:work|school|class|the meeting|my shift|the game)\\b`,
    `\\bin (?:${COUNT}) (?:${UNIT})\\b|\\bafter (?:${COUNT}) (?:${UNIT})\\b`,
    `\\b\\d{1,2}(?::\\d\\d)? ?(?:am|pm|o'?clock)\\b|\\b\\d{1,2}:\\d\\d\\b|\\bat \\d{1,2}\\b(?![.,]?\\d)(?! ?(?:pac|pacs|nanopac|npac|k)\\b)`,
    `\\b(?:when|whenever|once|as soon as|the moment|the minute|the day|after|before|until|till|unless|if) (?:${SUBJECT})\\b(?: (?!(?:to|and|then|please|send|pay|transfer|give|tip|wire|stake|bond|unstake|unbond|withdraw|split)\\b)[a-z']+){0,3}`,
  ].join('|'),
);

/** "if you can", "as soon as possible", "when you can": courtesy about now, not a later time or a condition. */
const NOW_AFTER_ALL =
  /\b(?:as soon as (?:possible|you can|u can)|if (?:you|u) (?:can|could|don'?t mind|would|please)|if possible|if that'?s (?:ok|okay|fine|alright)|when(?:ever)? (?:you|u) (?:can|get a (?:chance|moment|sec|second))|right now|now|today|at once|immediately|straight away|right away)\b/g;

/** A time or condition the bot cannot keep, as written ("on payday"), or null when the request is for now. */
export function laterPhrase(sentence: string): string | null {
  const text = sentence
    .toLowerCase()
    .replace(NOW_AFTER_ALL, ' ')
    // "what if I send ...": a hypothetical, explained as one (gate.ts), not a condition to wait for.
    .replace(/\bwhat (?:if|happens if|would happen if|will happen if)\b/g, ' ')
    .replace(/[^\p{L}\p{N}@'\s:/-]/gu, ' ')
    .replace(/\s+/g, ' ');
  const m = LATER.exec(text);
  if (m) return m[0].trim();
  const date =
    /\b(?:on|by|until|before|after) \d{1,2}\/\d{1,2}(?:\/\d{2,4})?\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/.exec(
      sentence,
    );
  return date ? date[0] : null;
}

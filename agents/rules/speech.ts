// Whose words a request is. "send 5 PAC to X" typed by the person is their request; the same words quoted,
// reported ("my friend said: ..."), put up for translation, pasted as code or as a tool call's JSON are someone's
// text the person is showing or asking about. Such text never drafts and never changes anything (issue 31).

export type SpeechAct =
  /** The person's own words. */
  | 'own'
  /** In quotes or a quote block, or the person repeating themselves ("I said ..."): offered, not done. */
  | 'quoted'
  /** Someone else's words: a friend, an email, a stranger, a scam message. */
  | 'reported'
  /** Text to translate or explain in another language. */
  | 'translation'
  /** Code, or a tool call written out as JSON or markup. */
  | 'code';

/** Words of a request someone could be quoting: what drafts something or changes a person's setup. */
const REQUEST_VERB =
  /\b(send|pay|give|tip|move|wire|transfer|stake|bond|delegate|undelegate|revoke|unstake|unbond|withdraw|vote|veto|link|unlink|forget|remove|delete|save|add|alerts?|notifications?|mute|unmute|disable|enable|turn|schedule|cancel|stop|primary|propose|approve|support|oppose|reject|endorse|abstain|split|divide|deploy|upload|anchor|payout|set|limits?|undo|cap)\b/i;
/** A ballot in its own words ("yes on proposal 3", "👎 on proposal 4"): a request without a verb. */
const BALLOT_WORDS =
  /(?:\b(?:yes|yea|yay|aye|nay|no|abstain\w*|thumbs (?:up|down)|in favou?r of)|[+-]1|👍|👎)\s*(?:on|to|for|of)?\s+(?:proposal|prop)\b/iu;
const REQUEST_WORD = { test: (text: string) => REQUEST_VERB.test(text) || BALLOT_WORDS.test(text) };

const TOOL_CALL =
  /"[A-Za-z_][\w-]*"\s*:\s*["{[\d\-tfn]|<\/?(?:tool_call|function|tool|invoke)\b|\b[a-z_]+\s*\(\s*(?:\{|[a-z_]+\s*=)|\bfunction_call\b|\b[a-z_$][\w$]*\.[a-z_$][\w$]*\s*\(|\b[a-z_]+\s*\(\s*["'`]/i;
/** A request written as key-value lines ("action: stake / validator: tpc1... / amount: 100"): a form, not words. */
const KEY_VALUES =
  /^(?:action|tool|command|cmd|intent|function|method|op|operation)\s*:\s*[a-z_]+\s+[a-z_]+\s*:/i;
/** A tag with attributes (`<call name="send" ...>`): a request written as markup. In a memo it is only text. */
const MARKUP_TAG = /<[a-z_]+(?:\s+[a-z_]+\s*=\s*["'][^"']*["'])+\s*\/?>/i;
/** Fenced or inline code; code that holds only an address or a number is formatting, not a quoted request. */
const CODE = /```([\s\S]*?)(?:```|$)|`([^`\n]+)`/g;
const QUOTE_BLOCK = /(?:^|\n)\s*>/;
/**
 * A code comment or a query ("// TODO: send 5 PAC to ...", "SELECT * FROM drafts; -- then cancel all my drafts"):
 * text in a program, not the person's request. A comment marker counts only where a line starts or after a
 * statement's ";", so a dash in prose ("send 5 PAC -- thanks") is not one.
 */
const CODE_TEXT =
  /(?:^|\n)\s*(?:\/\/|\/\*|#\s*(?:todo|fixme|xxx)\b|--\s)|;\s*(?:--|\/\/|#)|\b(?:select\s+(?:\*|[\w.]+(?:\s*,\s*[\w.]+)*)\s+from|insert\s+into|delete\s+from|update\s+\w+\s+set)\s+\w/i;
const LANGUAGES =
  'french|spanish|german|italian|portuguese|russian|chinese|mandarin|japanese|korean|arabic|hindi|turkish|dutch|polish|vietnamese|persian|farsi|indonesian|english|ukrainian|swedish|greek|hebrew|thai|another language|other languages';
const TRANSLATION = new RegExp(
  `\\b(?:translat(?:e|es|ed|ing|ion)|(?:in|into|to) (?:${LANGUAGES})\\b|how (?:do|would|can|does) (?:you|i|we|one) say|what(?:'s| is| does) .{1,120} (?:mean|in (?:${LANGUAGES})))`,
  'i',
);
/** Someone else said it: "my friend said", "the email says", "he told me to", "a DM saying". */
const REPORTED =
  /\b(?:said|says|saying|wrote|writes|written|texted|texts|messaged|posted|tweeted|emailed|replied|commented|dm'?d|claim(?:s|ed)?(?!\s+(?:my|our|the|all|back|rewards?|unbonded|stake|it|everything|what)\b)|instruct(?:s|ed)|order(?:s|ed) (?:me|us)|suggest(?:s|ed)|recommend(?:s|ed)|(?:told|tells|telling|asked|asks|asking|wants|wanted|begged|begs|begging|urged|urges|urging|advised|advises|pushing|pushes|pushed|pressuring|nagging|bugging|spamming) (?:me|us|him|her|them|you|every(?:one|body)|any(?:one|body)|some(?:one|body)|people|folks|all of us|all of you|newbies|members|users|holders|(?:the|all|my|our|his|her|their|other|new) [a-z]+)(?= to\b| for\b|$|[\s,.:;!?])|(?:keeps?|kept|keep on|is|are|was|were) (?:asking|telling|begging|saying|posting|pushing|spamming|demanding|insisting)|(?:was|were|been|got|get|am|are|is|being|'m|'re) (?:told|asked|instructed|advised|ordered|urged)|according to|quote|quoting)\b/i;
/** The person quoting themselves ("I said send ...", "like I told you"): their words, but not a fresh request. */
const SELF_REPORTED = /\b(?:i|i've|i have|i had) (?:said|wrote|typed|told you|asked you|asked)\b/i;
const ECHO = /^(?:say|repeat|echo|type|print|write|copy)\b/i;
/** "fwd: send ...", "from the docs: ...", "this came in: ...": someone else's text passed on. */
const RELAYED =
  /^(?:fwd?|forward(?:ed|ing)?(?:\s+this)?|from (?:the|a|an|my|his|her|their|our|this) [\w ]{1,30}|this came in|got this|saw this|found this|received this|read this|someone sent (?:me )?this)\s*:/i;
/** "FYI: send ...", "copy paste: ...", "look at this: ...": the person showing text rather than asking. */
const SHOWN =
  /^(?:fyi|copy[- ]?paste[d]?|pasting|pasted|look at this|check this out|example|sample|template|quote)\s*:/i;

/** Spans in quotation marks ("...", “...”, «...», and '...' when the marks are not apostrophes). */
function quotedSpans(text: string): string[] {
  const spans: string[] = [];
  for (const m of text.matchAll(/"([^"]{2,})"|“([^”]{2,})”|«([^»]{2,})»|„([^“”]{2,})[“”]/g))
    spans.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])['‘]([^'‘’]*\s[^'‘’]*)['’](?![\p{L}\p{N}])/gu))
    spans.push(m[1]!);
  return spans;
}

/**
 * Whose words the message is. `raw` is the whole message (a tool call's JSON may hold a "memo" key), `body` the
 * message without its memo, so a memo that quotes someone ("memo: mum said thanks") does not count.
 */
export function speechActOf(raw: string, body: string): SpeechAct {
  if (TOOL_CALL.test(raw) || MARKUP_TAG.test(body) || KEY_VALUES.test(body.trim()) || CODE_TEXT.test(body))
    return 'code';
  for (const m of raw.matchAll(CODE)) if (REQUEST_WORD.test(m[1] ?? m[2] ?? '')) return 'code';
  if (TRANSLATION.test(body)) return 'translation';
  if (RELAYED.test(body.trim()) || (!SELF_REPORTED.test(body) && isReported(body))) return 'reported';
  if (QUOTE_BLOCK.test(body) || ECHO.test(body.trim()) || SHOWN.test(body.trim()) || SELF_REPORTED.test(body))
    return 'quoted';
  if (quotedSpans(body).some((span) => REQUEST_WORD.test(span))) return 'quoted';
  return 'own';
}

/**
 * Reported when the request comes after the attribution ("my friend said: send ...") or the attribution closes the
 * message ("send 900 PAC to X, the email says"); not when it adds context after the person's own request ("send
 * alice 5 PAC, she said she needs it").
 */
function isReported(body: string): boolean {
  const said = REPORTED.exec(body);
  if (!said) return false;
  // The attribution comes first ("my friend said: wait 2 days before paying new addresses"): whatever follows is
  // theirs, whether or not it uses a verb from the request list.
  if (!REQUEST_WORD.test(body.slice(0, said.index))) return true;
  const after = body.slice(said.index);
  if (REQUEST_WORD.test(after.slice(said[0].length))) return true;
  const tail = after
    .slice(said[0].length)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\b(?:to|so|that|this|it|me|us|too|again|earlier|yesterday|today|lol)\b/g, ' ')
    .trim();
  return tail === '';
}

/** What the person hears when a request in someone else's words is not acted on. */
export function notOwnWords(act: Exclude<SpeechAct, 'own'>): string {
  switch (act) {
    case 'quoted':
      return 'You quoted that, so I did not act on it. If you want it done, tap the button, or ask me without the quotes.';
    case 'reported':
      return "Those are someone else's words, so I did not act on them: I only do what you ask me yourself. If a stranger, a message or an email asks you to send, stake or unlink something, it may well be a scam. If you do want it, ask me in your own words.";
    case 'translation':
      return 'I do not translate, and I never act on text given to me to translate or explain.';
    case 'code':
      return 'That is code or a tool call written out, not a request in your words, so I did nothing. Ask me in plain words, for example "send 5 PAC to tpc1...".';
  }
}

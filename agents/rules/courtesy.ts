// What people wrap a request in: a mention of the bot, a greeting ("gm,", "hey bot", "Hi!"), and a sign-off
// ("thx", "ty", "pls", "asap", an emoji). They carry no part of the request, so they are taken off once, before
// any rule reads the message (issue 29: each rule used to keep its own list, anchored differently, so "hey bot
// which alerts are on" switched alerts on and "gm, forget wanjiru thx" was not read at all).

/** A leading mention, greeting or "please": one at a time, so "gm, hey bot pls ..." loses all three. */
const LEAD =
  /^(?:<@!?\d+>|@[\w.-]+|(?:hey|hi|hello) there|(?:hey|hi|hello|yo) bot|gm|gn|good (?:morning|afternoon|evening|day)|morning|evening|hi+|hello+|hey+|heya|hiya|howdy|yo+|sup|ok(?:ay)?|pls|plz|please|kindly|dear bot|bot)(?=[\s,!.:;]|$)[\s,!.:;]*/iu;

/** Emoji and their joiners; thumbs and ticks are kept, since "👍 on proposal 3" is a ballot. */
const DECORATION = /^(?![👍👎✅❌✔✖])(?:\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D)$/u;

/**
 * A trailing sign-off word, with the punctuation around it; voice typing's spoken punctuation ("full stop") ends a
 * message the same way. None of these can be a contact's name. The run of punctuation before it is bounded: an
 * unbounded one made every start position in a long run of dots re-read the rest of it (quadratic).
 */
const SIGN_OFF =
  /[\s,.;:~-]{0,16}\b(?:please|pls|plz|thanks|thank you|thank u|thanks a lot|thanks so much|thx|thnx|ty|tysm|cheers|asap|appreciate it|full stop|period|exclamation (?:mark|point))[\s.!]*$/iu;

export interface Unwrapped {
  /** The message without the wrapping (the message itself when nothing else is left). */
  text: string;
  /** It started with a greeting ("hi", "gm", "hey bot"), not only a mention. */
  greeted: boolean;
}

/** Takes a leading greeting/mention and, unless `keepTail`, a trailing sign-off and emoji off a message. */
export function unwrap(message: string, keepTail = false): Unwrapped {
  let text = message.trim();
  let greeted = false;
  for (let m = LEAD.exec(text); m && m[0].length < text.length; m = LEAD.exec(text)) {
    if (!/^(?:<@|@|pls|plz|please|kindly)/i.test(m[0])) greeted = true;
    text = text.slice(m[0].length);
  }
  if (!keepTail) {
    for (let i = 0; i < 4; i++) {
      const before = text;
      text = stripDecorationTail(text);
      const m = SIGN_OFF.exec(text);
      if (m && m.index > 0) text = text.slice(0, m.index);
      text = text.replace(/(?<![\s,!])[\s,!]+$/u, ''); // from the run's start only: linear in its length
      if (text === before) break;
    }
  }
  return { text: text.trim() || message.trim(), greeted };
}

function stripDecorationTail(text: string): string {
  const chars = Array.from(text);
  while (chars.length && (DECORATION.test(chars.at(-1)!) || /\s/.test(chars.at(-1)!))) chars.pop();
  return chars.join('');
}

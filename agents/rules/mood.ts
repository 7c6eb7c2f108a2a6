// Whether a message asks for something to be done now, or only talks about it: a question, a condition, a
// hypothetical, a negation or a take-back. Only a clear request may become a draft.

export type Mood = 'request' | 'question' | 'conditional' | 'hypothetical' | 'negated' | 'retracted';

/** Polite requests phrased as questions are still requests: "can you send ...", "could you please pay ...". */
const POLITE =
  /^(?:(?:please|pls|plz|hey|hi|hello|ok|okay|bot|so|and|now|yo|morning|good morning|hey there|hi there|sorry to bother you(?: but)?|quick one|ok so quick one)\s+)*(?:(?:can|could|would|will)\s+(?:you|u|ya)\b(?!\s+mind\b)|(?:(?:would|do) you\s+)?mind\b)/;
const WANT =
  /^(?:(?:please|pls|hey|hi|ok|okay|so|now)\s+)*i(?:'d| would)?\s+(?:want|wanna|like|need|wish)\s+to\b/;
/** "do transfer 20 PAC to olu" (emphatic, non-native) is an imperative, not "do you ...?". */
const INTERROGATIVE =
  /^(?:how|what|what's|whats|why|when|where|which|who|whom|whose|should|shall|is|are|am|was|were|does|do(?!\s+(?:send|pay|transfer|give|tip|wire|stake|unstake|withdraw|the needful)\b)|did|may|might|must|would|could|can|will|isn't|aren't|wouldn't|shouldn't)\b/;
const QUESTION_PHRASE =
  /\b(?:how (?:do|can|would|should|to|much would)|what (?:happens|would|will|does|do|if)|is it (?:safe|possible|ok|okay|wise|smart)|should i|shall i|can i|could i|may i|do i need|am i able|would it|why would|wondering|curious|i wonder|explain|tell me (?:how|what|about))\b/;
/** "once it confirms" waits for something; "send it once" and "once a month" do not. */
const CONDITIONAL =
  /\b(?:if|unless|in case|as soon as(?! (?:possible|you can|u can)\b)|whenever|when|provided|assuming)\b|\bonce\b(?=\s+(?!(?:a|an|per|every|more|again)\b)\w)|^(?:after|before|should)\b/;
const HYPOTHETICAL =
  /\b(?:what if|suppose|supposing|imagine|hypothetically|in theory|for example|for instance|example|e ?g|let'?s say|say i|pretend|just kidding|jk|lol|joking|maybe|perhaps|possibly|probably|not sure|unsure|i guess|i think i (?:should|might|will))\b/;
const RETRACTION =
  /\b(?:actually|wait|hold on|never ?mind|nvm|scratch that|forget (?:about )?(?:it|that|this|(?:send|pay|transferr|transfer|giv|mov|stak|unstak|withdraw|vot|link|unlink|tipp)ing)|skip (?:it|that|this|the \w+)|no need|don'?t bother|on second thought|not now|not yet|changed my mind|ignore (?:that|this|it)|disregard|undo|abort|take (?:it|that) back)\b/;
/**
 * Sarcasm says the opposite of its words: "oh sure, let me just unstake ... because a stranger asked 🙄", "yeah
 * right, I'll totally ...". Read as a refusal, never as a request.
 */
const SARCASM =
  /^(?:oh |ah |yeah |yea )?(?:sure|right|great|totally|of course)\b[\s,!.]+(?:let me|i'?ll|i will|lemme)\b|\b(?:yeah|yea) right\b|\bas if i\b|\bbecause (?:a|some) (?:random )?(?:stranger|guy|dude|scammer|bot) (?:asked|said|told me)\b|\bi'?ll totally\b|(?:^|\s)\/s$|\b(?:imagine|picture) (?:being )?(?:dumb|stupid|naive) enough\b/;
/** "I used to pay alice 5 PAC every week": a habit in the past, not a request. */
const PAST_HABIT = /\b(?:i|we) used to\b/;
const NEGATION =
  /\b(?:don'?t|dont|do not|does not|doesn'?t|did not|didn'?t|never|not|no|nope|cancel|stop|refuse|won'?t|wont|shouldn'?t|mustn'?t|can'?t|cannot)\b/;

/**
 * The mood of one message, read from its words with addresses, IDs and the memo already taken out (`words`) and
 * the same text with its punctuation (`sentence`). `keep` lists words that belong to the request itself and are
 * not negations, conditions or questions (a vote's "no", "stop staking", "tell me when").
 */
export function moodOf(words: string, sentence: string, keep: RegExp | null = null): Mood {
  const w = keep ? words.replace(keep, ' ') : words;
  if (RETRACTION.test(w)) return 'retracted';
  if (SARCASM.test(w)) return 'negated';
  // "no memo" and "no fee" describe the request; they do not negate it.
  if (NEGATION.test(w.replace(/\bno (?:memo|note|message|fee|problem|worries)\b/g, ' '))) return 'negated';
  const polite = POLITE.test(w) || WANT.test(w);
  if (!polite && (sentence.includes('?') || INTERROGATIVE.test(w.trim()) || QUESTION_PHRASE.test(w)))
    return 'question';
  if (polite && QUESTION_PHRASE.test(w.replace(POLITE, ''))) return 'question';
  if (HYPOTHETICAL.test(w) || PAST_HABIT.test(w)) return 'hypothetical';
  if (CONDITIONAL.test(w)) return 'conditional';
  return 'request';
}

/**
 * A remark, not a request: an opinion or an exclamation about what happened ("proposal 3 is a terrible idea", "my
 * alerts are going crazy", "can't believe I unstaked right before the rewards went up", "the fee was tiny last time
 * I sent pac"), or an imagined scene ("imagine I sent all my PAC to ..."). A lookup is not the answer to it.
 */
const REMARK =
  /\b(?:is|was|were|are|'s|'re) (?:(?:a|an|such a|so|really|kinda|pretty|too|totally|just|way) )*(?:terrible|awful|bad|horrible|great|good|dumb|stupid|smart|brilliant|genius|tiny|huge|crazy|nuts|wild|insane|weird|broken|annoying|cool|nice|amazing|ridiculous|silly|scam|joke|going (?:crazy|nuts|wild|off))\b|\b(?:can'?t|cannot|couldn'?t) believe\b|\blast time i\b|\b(?:went|gone) (?:up|down)\b/;
const ASKS_FIRST =
  /^(?:show|check|list|what|what's|whats|how|which|who|tell|give|see|view|get|display|is|are|did|does|do|can|could|would|please|pls)\b(?!')/;
const IMAGINED = /^(?:imagine|suppose|supposing|hypothetically|pretend)\b/;

export function isRemark(words: string, sentence: string): boolean {
  if (IMAGINED.test(words)) return true;
  return REMARK.test(words) && !sentence.includes('?') && !ASKS_FIRST.test(words);
}

import { createHash } from 'node:crypto';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { untrustedUserText } from '../prompts/index.js';
import type { Placeholders } from './placeholders.js';
import { replyToText, type Reply } from './reply.js';

/**
 * What a language model is shown of an earlier turn: the person's words and a one-line record of the bot's side,
 * never the rendered reply (balances, draft details, links: code showed those to the person, and the model needs
 * none of it to read the next message). The record is the call that was made (by the model or by the rules'
 * fast path), with a short outcome, or the few words the bot answered.
 *
 * A call is remembered with its original arguments and masked again each turn, in the same order as before, so
 * the placeholders (A1, N1) and therefore the rendered history stay the same from turn to turn: the person's
 * sequence in the model's cache still holds it, and a warm turn only evaluates the new message.
 */
export type Memo = { call: string; args: Record<string, string>; outcome: string } | { said: string };

/** The longest record kept (the memory keeps 500 characters; a longer call is remembered by its name). */
const MAX = 480;
const SAID_MAX = 200;

/** The first line of a text, at most `max` characters. */
export function oneLine(text: string, max = SAID_MAX): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A call's arguments as the strings a model writes (numbers too: they are masked like typed amounts). */
export function stringArgs(args: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(args)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [
        k,
        typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | bigint),
      ]),
  );
}

/** How an action's reply went, in a few words: an error notice means it was not done. */
export function outcomeOf(replies: Reply[], refused: boolean): string {
  if (refused) return 'not done: the person was asked to say it again or confirm';
  const error = replies.flatMap((r) => r.blocks).find((b) => b.type === 'notice' && b.level === 'error');
  return error?.type === 'notice' ? `not done: ${oneLine(error.text, 80)}` : 'done';
}

/** The memo as the conversation memory stores it. */
export function memoText(memo: Memo): string {
  if ('said' in memo) return oneLine(memo.said);
  const text = JSON.stringify(memo);
  return text.length <= MAX ? text : oneLine(`(${memo.call}: ${memo.outcome})`);
}

/** A stored memo; anything else (an older full reply) is remembered by its first line. */
export function readMemo(stored: string): Memo {
  if (stored.startsWith('{"call":'))
    try {
      const memo = JSON.parse(stored) as Memo;
      if ('call' in memo && typeof memo.call === 'string' && memo.args && typeof memo.outcome === 'string')
        return memo;
    } catch {
      // not a call record after all
    }
  return { said: oneLine(stored) };
}

/**
 * The remembered turns as the model reads them: each person's message (masked, as a user turn), then the bot's
 * call (masked arguments, with its outcome as the tool result) or its words. Masking runs in the order of the
 * conversation, so the same history always gets the same placeholders.
 */
export function modelHistory(history: BaseMessage[], placeholders: Placeholders): BaseMessage[] {
  const out: BaseMessage[] = [];
  history.forEach((m, i) => {
    const content = String(m.content);
    if (m.getType() === 'human') {
      out.push(new HumanMessage(untrustedUserText(placeholders.mask(content))));
      return;
    }
    const memo = readMemo(content);
    if ('said' in memo) {
      out.push(new AIMessage(placeholders.mask(memo.said)));
      return;
    }
    const id = `remembered_${i}`;
    const args = Object.fromEntries(Object.entries(memo.args).map(([k, v]) => [k, placeholders.mask(v)]));
    out.push(
      new AIMessage({ content: '', tool_calls: [{ id, name: memo.call, args, type: 'tool_call' }] }),
      new ToolMessage({ tool_call_id: id, content: placeholders.mask(memo.outcome) }),
    );
  });
  return out;
}

/** The words of a reply, as remembered when no action ran. */
export function saidOf(replies: Reply[]): Memo {
  return { said: replies.map(replyToText).join(' ') };
}

const fingerprint = (human: string, bot: string) =>
  createHash('sha256').update(human).update('\u0000').update(bot).digest('hex').slice(0, 16);

/**
 * Which remembered turns the model is shown. The memory slides (its oldest turn drops as each new one comes),
 * and a history that loses its first turn shares nothing with the cached one after the system prompt, so every
 * turn of a long conversation would evaluate the whole history again. Instead the window keeps its first turn
 * while the memory still has it and grows turn by turn (the cached prompt plus the new turn); once that turn is
 * forgotten, it starts again from the last `keepOnReset` turns. Per process (a process without the person's
 * window starts with those), bounded in people.
 */
export class HistoryWindow {
  private readonly starts = new Map<string, string>();

  constructor(
    private readonly keepOnReset = 2,
    private readonly people = 10_000,
  ) {}

  visible(key: string, history: BaseMessage[]): BaseMessage[] {
    const start = this.starts.get(key);
    for (let i = 0; i + 1 < history.length; i += 2)
      if (fingerprint(String(history[i]!.content), String(history[i + 1]!.content)) === start)
        return history.slice(i);
    return history.slice(Math.max(0, history.length - 2 * this.keepOnReset));
  }

  /** After a turn: the window's first turn (this turn's, when it showed none). */
  settle(key: string, visible: BaseMessage[], message: string, memo: string): void {
    const first =
      visible.length >= 2
        ? fingerprint(String(visible[0]!.content), String(visible[1]!.content))
        : fingerprint(message, memo);
    this.starts.delete(key);
    if (this.starts.size >= this.people) this.starts.delete(this.starts.keys().next().value!);
    this.starts.set(key, first);
  }
}

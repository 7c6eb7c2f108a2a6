import type { InlineKeyboardButton } from 'telegraf/types';
import type { Button, Reply } from '../../agents/reply.js';

/** Telegram HTML parse mode: only &, < and > need escaping, and every user string goes through here. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const ICONS = { info: 'ℹ️', success: '✅', warning: '⚠️', error: '❌' } as const;

export type InlineButton = InlineKeyboardButton;

export interface TelegramMessage {
  text: string;
  parse_mode: 'HTML';
  reply_markup?: { inline_keyboard: InlineButton[][] };
  link_preview_options: { is_disabled: true };
}

/**
 * sendMessage takes 1-4,096 characters of text *after entity parsing* (core.telegram.org/bots/api#sendmessage):
 * tags and escapes do not count, what they show does. Telegram counts UTF-16 code units, as JS strings do.
 */
export const MAX_MESSAGE_CHARS = 4096;

/** A run of text shown plain, bold or as code; a line is a list of runs, escaped only when rendered. */
interface Run {
  style: 'plain' | 'b' | 'code';
  text: string;
}
type Line = Run[];

const visible = (line: Line) => line.reduce((n, r) => n + r.text.length, 0);
const html = (line: Line) =>
  line
    .map((r) => (r.style === 'plain' ? escapeHtml(r.text) : `<${r.style}>${escapeHtml(r.text)}</${r.style}>`))
    .join('');

function linesOf(reply: Reply): Line[] {
  const lines: Line[] = [];
  const plain = (text: string): Line[] => text.split('\n').map((t) => [{ style: 'plain', text: t }]);
  for (const block of reply.blocks) {
    if (block.type === 'text') lines.push(...plain(block.text));
    else if (block.type === 'notice') {
      const [first, ...rest] = plain(block.text);
      lines.push([{ style: 'plain', text: `${ICONS[block.level]} ` }, ...first!], ...rest);
    } else {
      if (block.title) lines.push([{ style: 'b', text: block.title }]);
      for (const f of block.fields) {
        const labelStyle = f.code || /^t?pc1/.test(f.label) ? 'code' : 'b';
        lines.push([
          { style: labelStyle, text: f.label },
          { style: 'plain', text: ': ' },
          { style: f.code ? 'code' : 'plain', text: f.value },
        ]);
      }
    }
  }
  return lines;
}

/** Cuts a line longer than a message into pieces, preferring a space, never inside an escape or a tag. */
function splitLine(line: Line, max: number): Line[] {
  const pieces: Line[] = [];
  let current: Line = [];
  let room = max;
  for (const run of line) {
    let rest = run.text;
    while (rest.length > room) {
      let cut = rest.lastIndexOf(' ', room);
      if (cut < room / 2) cut = room;
      // Never split a surrogate pair (an emoji): Telegram would see half a character.
      if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut--;
      if (cut > 0) current.push({ style: run.style, text: rest.slice(0, cut) });
      pieces.push(current);
      current = [];
      room = max;
      rest = rest.slice(cut).replace(/^ /, '');
    }
    if (rest) current.push({ style: run.style, text: rest });
    room -= rest.length;
  }
  if (current.length) pieces.push(current);
  return pieces;
}

/**
 * Reply -> one or more HTML messages, each within Telegram's limit counted after entity parsing, split between
 * blocks' lines (a line longer than a message is cut between words), so every tag is closed in the message that
 * opens it and nothing is dropped. The inline keyboard rides on the last message.
 */
export function renderReply(
  reply: Reply,
  callbackId: (button: Extract<Button, { type: 'action' }>) => string,
  max = MAX_MESSAGE_CHARS,
): TelegramMessage[] {
  const texts: string[] = [];
  let chunk: string[] = [];
  let used = 0;
  for (const line of linesOf(reply).flatMap((l) => (visible(l) > max ? splitLine(l, max) : [l]))) {
    const size = visible(line) + (chunk.length ? 1 : 0); // the newline joining it
    if (chunk.length && used + size > max) {
      texts.push(chunk.join('\n'));
      chunk = [];
      used = 0;
    }
    used += visible(line) + (chunk.length ? 1 : 0);
    chunk.push(html(line));
  }
  if (chunk.length) texts.push(chunk.join('\n'));
  // An empty message is refused ("message text is empty"); lines of only spaces count as empty too.
  if (texts.length === 0 || texts.every((t) => t.trim() === '')) texts.splice(0, texts.length, '…');
  const row: InlineButton[] = reply.buttons.map((b) =>
    b.type === 'link' ? { text: b.label, url: b.url } : { text: b.label, callback_data: callbackId(b) },
  );
  return texts.map((text, i) => ({
    text: text.trim() === '' ? '…' : text,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(i === texts.length - 1 && row.length && { reply_markup: { inline_keyboard: [row] } }),
  }));
}

/**
 * A button whose action and arguments fit Telegram's 64 bytes of callback data travels as "a|action|{args}" (so it
 * survives restarts, e.g. vote buttons on an announcement); null when it does not fit.
 */
export function directCallbackData(button: { action: string; args: Record<string, string> }): string | null {
  const direct = `a|${button.action}|${JSON.stringify(button.args)}`;
  return Buffer.byteLength(direct) <= 64 ? direct : null;
}

/** The action and arguments of "a|action|{args}" callback data, or null when it is not that. */
export function readDirectCallbackData(
  data: string,
): { action: string; args: Record<string, string> } | null {
  const direct = /^a\|([a-z_]+)\|(\{.*\})$/.exec(data);
  if (!direct) return null;
  try {
    const args = JSON.parse(direct[2]!) as Record<string, unknown>;
    return {
      action: direct[1]!,
      args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)])),
    };
  } catch {
    return null;
  }
}

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

const MAX_TEXT = 4096;

/** Reply -> HTML text plus an inline keyboard; action buttons carry a short id that `callbacks` maps back. */
export function renderReply(
  reply: Reply,
  callbackId: (button: Extract<Button, { type: 'action' }>) => string,
): TelegramMessage {
  const lines: string[] = [];
  for (const block of reply.blocks) {
    if (block.type === 'text') lines.push(escapeHtml(block.text));
    else if (block.type === 'notice') lines.push(`${ICONS[block.level]} ${escapeHtml(block.text)}`);
    else {
      if (block.title) lines.push(`<b>${escapeHtml(block.title)}</b>`);
      for (const f of block.fields)
        lines.push(
          `${f.code || /^t?pc1/.test(f.label) ? `<code>${escapeHtml(f.label)}</code>` : `<b>${escapeHtml(f.label)}</b>`}: ${f.code ? `<code>${escapeHtml(f.value)}</code>` : escapeHtml(f.value)}`,
        );
    }
  }
  let text = lines.join('\n');
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT - 1)}…`.replace(/<[^>]*$/, '');
  const row: InlineButton[] = reply.buttons.map((b) =>
    b.type === 'link' ? { text: b.label, url: b.url } : { text: b.label, callback_data: callbackId(b) },
  );
  return {
    text: text || '…',
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(row.length && { reply_markup: { inline_keyboard: [row] } }),
  };
}

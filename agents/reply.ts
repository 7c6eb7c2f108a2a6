import { commandHint } from './typed-commands.js';

/**
 * The platform-neutral answer of the bot (ARCHITECTURE.md, "Reply model"). All strings are plain text: each
 * platform escapes them for its own markup, so user text (memos, titles) can never format or ping anything.
 */
export type Visibility = 'private' | 'public';

export interface Field {
  label: string;
  value: string;
  /** Render as code (addresses, IDs, amounts people copy). */
  code?: boolean;
}

export type Block =
  | { type: 'text'; text: string }
  | { type: 'fields'; title?: string; fields: Field[] }
  | { type: 'notice'; level: 'info' | 'success' | 'warning' | 'error'; text: string };

export type Button =
  | { type: 'link'; label: string; url: string }
  | {
      type: 'action';
      label: string;
      action: string;
      args: Record<string, string>;
      style?: 'primary' | 'danger' | 'secondary';
    };

export interface Reply {
  visibility: Visibility;
  blocks: Block[];
  buttons: Button[];
}

export function reply(visibility: Visibility, ...blocks: Block[]): Reply {
  return { visibility, blocks, buttons: [] };
}

export const text = (value: string): Block => ({ type: 'text', text: value });
export const notice = (level: 'info' | 'success' | 'warning' | 'error', value: string): Block => ({
  type: 'notice',
  level,
  text: value,
});
export const fields = (list: Field[], title?: string): Block => ({
  type: 'fields',
  fields: list,
  ...(title && { title }),
});

export function errorReply(message: string, visibility: Visibility = 'private'): Reply {
  return reply(visibility, notice('error', message));
}

/** Plain-text rendering (console, logs, tests): the same content every platform shows. */
export function replyToText(r: Reply): string {
  const lines: string[] = [];
  for (const block of r.blocks) {
    if (block.type === 'text') lines.push(block.text);
    else if (block.type === 'notice')
      lines.push(`${{ info: 'i', success: '✓', warning: '!', error: '✗' }[block.level]} ${block.text}`);
    else {
      if (block.title) lines.push(block.title);
      for (const f of block.fields) lines.push(`  ${f.label}: ${f.value}`);
    }
  }
  for (const button of r.buttons) {
    if (button.type === 'link') lines.push(`→ ${button.label}: ${button.url}`);
    else lines.push(`[${button.label}] type: ${commandHint(button.action, button.args)}`);
  }
  return lines.join('\n');
}

/**
 * A request that arrived while the database could not be reached (a restart, a failover): nothing was done, and
 * the same request will work once it is back.
 */
export const storeUnavailableReply = () =>
  reply(
    'private',
    notice(
      'warning',
      'I cannot reach my database for a moment, so I did nothing with that. Please try again shortly.',
    ),
  );

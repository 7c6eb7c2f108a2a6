import {
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  type APIEmbed,
  type APIActionRowComponent,
  type APIButtonComponent,
} from 'discord.js';
import type { Button, Reply } from '../../agents/reply.js';

export interface DiscordPayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** Nothing the bot says may ping anyone: not @everyone, not a role, not a user. */
  allowedMentions: { parse: [] };
}

const COLORS = {
  info: 0x3b82f6,
  success: 0x16a34a,
  warning: 0xd97706,
  error: 0xdc2626,
  plain: 0x64748b,
} as const;
const ICONS = { info: 'ℹ️', success: '✅', warning: '⚠️', error: '❌' } as const;

/** Everything typed by users (memos, titles, names) is escaped; addresses and IDs go in code spans. */
export function escapeText(text: string): string {
  return escapeMarkdown(text, {
    codeBlock: true,
    inlineCode: true,
    bold: true,
    italic: true,
    underline: true,
    strikethrough: true,
    spoiler: true,
    codeBlockContent: true,
    inlineCodeContent: true,
    heading: true,
    bulletedList: true,
    numberedList: false,
    maskedLink: true,
  });
}

function codeSpan(value: string): string {
  return /[`\n]/.test(value) ? escapeText(value) : `\`${value}\``;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Button custom ids carry an action and its arguments (Discord allows 100 characters). */
export function encodeButton(button: Extract<Button, { type: 'action' }>): string | null {
  const id = `a|${button.action}|${JSON.stringify(button.args)}`;
  return id.length <= 100 ? id : null;
}

export function decodeButton(customId: string): { action: string; args: Record<string, string> } | null {
  const match = /^a\|([a-z_]+)\|(\{.*\})$/.exec(customId);
  if (!match) return null;
  try {
    const args = JSON.parse(match[2]!) as unknown;
    if (typeof args !== 'object' || args === null || Array.isArray(args)) return null;
    return {
      action: match[1]!,
      args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)])),
    };
  } catch {
    return null;
  }
}

/** Reply -> embeds (fields for amounts, addresses in code spans), link and action buttons. */
export function renderReply(reply: Reply): DiscordPayload {
  const embeds: APIEmbed[] = [];
  let current: APIEmbed = { color: COLORS.plain };
  const lines: string[] = [];
  const flushLines = () => {
    if (lines.length) current.description = clip(lines.splice(0).join('\n'), 4096);
  };
  for (const block of reply.blocks) {
    if (block.type === 'text') lines.push(escapeText(block.text));
    else if (block.type === 'notice') {
      lines.push(`${ICONS[block.level]} ${escapeText(block.text)}`);
      if (current.color === COLORS.plain || block.level === 'error' || block.level === 'warning')
        current.color = COLORS[block.level];
    } else {
      if (block.title) lines.push(`**${escapeText(block.title)}**`);
      current.fields ??= [];
      for (const field of block.fields) {
        if (current.fields!.length === 25) {
          flushLines();
          embeds.push(current);
          current = { color: current.color, fields: [] };
        }
        current.fields!.push({
          name:
            clip(field.code || /^t?pc1/.test(field.label) ? field.label : escapeText(field.label), 256) ||
            '\u200b',
          value: clip(field.code ? codeSpan(field.value) : escapeText(field.value), 1024) || '\u200b',
          inline: false,
        });
      }
    }
  }
  flushLines();
  embeds.push(current);
  const buttons: APIButtonComponent[] = [];
  for (const button of reply.buttons) {
    if (button.type === 'link')
      buttons.push({
        type: ComponentType.Button,
        style: ButtonStyle.Link,
        label: clip(button.label, 80),
        url: button.url,
      });
    else {
      const customId = encodeButton(button);
      if (!customId) continue;
      const style =
        button.style === 'danger'
          ? ButtonStyle.Danger
          : button.style === 'primary'
            ? ButtonStyle.Primary
            : ButtonStyle.Secondary;
      buttons.push({ type: ComponentType.Button, style, label: clip(button.label, 80), custom_id: customId });
    }
  }
  const components: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length && components.length < 5; i += 5)
    components.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  return { embeds: embeds.slice(0, 10), components, allowedMentions: { parse: [] } };
}

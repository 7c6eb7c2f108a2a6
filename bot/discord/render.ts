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

/** Discord's limit on a button's custom_id (interactions/message-components#button-object: 1-100 characters). */
export const MAX_CUSTOM_ID = 100;

/**
 * A button's custom_id carrying its action and arguments ("a|action|{args}"), so it survives restarts (vote
 * buttons on an announcement); null when that is longer than Discord allows, and a stored id is needed.
 */
export function encodeButton(button: Extract<Button, { type: 'action' }>): string | null {
  const id = `a|${button.action}|${JSON.stringify(button.args)}`;
  return id.length <= MAX_CUSTOM_ID ? id : null;
}

/** The custom_id of a button kept in the database under a short id (bot/core/short-ids.ts). */
export const storedButtonId = (id: string) => `s|${id}`;

/** The short id in a stored button's custom_id, or null when it is not one. */
export function readStoredButtonId(customId: string): string | null {
  return /^s\|([A-Za-z0-9_-]{1,64})$/.exec(customId)?.[1] ?? null;
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

/**
 * Discord's limits (discord.com/developers/docs/resources/message#embed-object-embed-limits and
 * interactions/message-components): checked here so no reply is ever refused for its size.
 */
export const LIMITS = {
  embedsPerMessage: 10,
  charactersPerMessage: 6000,
  description: 4096,
  fieldsPerEmbed: 25,
  fieldName: 256,
  fieldValue: 1024,
  buttonLabel: 80,
  rows: 5,
  buttonsPerRow: 5,
} as const;

type Item =
  | { kind: 'line'; text: string; level?: keyof typeof COLORS }
  | { kind: 'field'; name: string; value: string };

/** Splits text into pieces of at most `max` characters, between lines or words where it can. */
function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  out.push(rest);
  return out;
}

function itemsOf(reply: Reply): Item[] {
  const items: Item[] = [];
  for (const block of reply.blocks) {
    if (block.type === 'text')
      for (const text of pieces(escapeText(block.text), LIMITS.description))
        items.push({ kind: 'line', text });
    else if (block.type === 'notice')
      for (const text of pieces(`${ICONS[block.level]} ${escapeText(block.text)}`, LIMITS.description))
        items.push({ kind: 'line', text, level: block.level });
    else {
      if (block.title) items.push({ kind: 'line', text: `**${escapeText(block.title)}**` });
      for (const field of block.fields) {
        const name =
          clip(
            field.code || /^t?pc1/.test(field.label) ? field.label : escapeText(field.label),
            LIMITS.fieldName,
          ) || '\u200b';
        const value = field.code ? codeSpan(field.value) : escapeText(field.value);
        // A value longer than a field continues in the next field instead of being cut.
        pieces(value || '\u200b', LIMITS.fieldValue).forEach((part, i) =>
          items.push({ kind: 'field', name: i === 0 ? name : '\u200b', value: part }),
        );
      }
    }
  }
  return items;
}

/**
 * Reply -> one or more messages: embeds (fields for amounts, addresses in code spans) packed within every embed
 * and message limit, so a long answer becomes several messages instead of being refused or cut; the buttons
 * ride on the last message.
 */
export function renderReplyPages(
  reply: Reply,
  customIdOf: (button: Extract<Button, { type: 'action' }>) => string | null = encodeButton,
): DiscordPayload[] {
  const pages: APIEmbed[][] = [[]];
  let embed: APIEmbed | null = null;
  let used = 0;
  const page = () => pages[pages.length - 1]!;
  const open = (need: number): APIEmbed => {
    if (page().length === LIMITS.embedsPerMessage || used + need > LIMITS.charactersPerMessage) {
      pages.push([]);
      used = 0;
    }
    embed = { color: embed?.color ?? COLORS.plain };
    page().push(embed);
    return embed;
  };
  for (const item of itemsOf(reply)) {
    if (item.kind === 'line') {
      const need = item.text.length + 1;
      let e = embed as APIEmbed | null;
      // A line after fields starts a new embed, so the reply reads in order.
      if (
        !e ||
        e.fields?.length ||
        (e.description?.length ?? 0) + need > LIMITS.description ||
        used + need > LIMITS.charactersPerMessage
      )
        e = open(need);
      e.description = e.description ? `${e.description}\n${item.text}` : item.text;
      used += need;
      if (item.level && (e.color === COLORS.plain || item.level === 'error' || item.level === 'warning'))
        e.color = COLORS[item.level];
    } else {
      const need = item.name.length + item.value.length;
      let e = embed as APIEmbed | null;
      if (
        !e ||
        (e.fields?.length ?? 0) === LIMITS.fieldsPerEmbed ||
        used + need > LIMITS.charactersPerMessage
      )
        e = open(need);
      (e.fields ??= []).push({ name: item.name, value: item.value, inline: false });
      used += need;
    }
  }
  if (page().length === 0) page().push({ color: COLORS.plain, description: '\u200b' });
  const buttons: APIButtonComponent[] = [];
  for (const button of reply.buttons) {
    if (button.type === 'link')
      buttons.push({
        type: ComponentType.Button,
        style: ButtonStyle.Link,
        label: clip(button.label, LIMITS.buttonLabel),
        url: button.url,
      });
    else {
      const customId = customIdOf(button);
      if (!customId || customId.length > MAX_CUSTOM_ID) continue;
      const style =
        button.style === 'danger'
          ? ButtonStyle.Danger
          : button.style === 'primary'
            ? ButtonStyle.Primary
            : ButtonStyle.Secondary;
      buttons.push({
        type: ComponentType.Button,
        style,
        label: clip(button.label, LIMITS.buttonLabel),
        custom_id: customId,
      });
    }
  }
  const components: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length && components.length < LIMITS.rows; i += LIMITS.buttonsPerRow)
    components.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + LIMITS.buttonsPerRow),
    });
  return pages.map((embeds, i) => ({
    embeds,
    components: i === pages.length - 1 ? components : [],
    allowedMentions: { parse: [] },
  }));
}

/** The first page: for short, fixed answers (errors) that always fit one message. */
export function renderReply(reply: Reply): DiscordPayload {
  return renderReplyPages(reply)[0]!;
}

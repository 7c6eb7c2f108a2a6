// What the Telegram bot publishes and requires at start-up: its command menus and a signer URL Telegram opens.
import type { App } from '../app.js';
import type { InboxOptions } from './inbox.js';
import { ConfigError } from '../config.js';

/** Telegram command menus: everything in private chats, what is safe to answer in place in groups. */
export function telegramCommands(app: App): {
  private: { command: string; description: string }[];
  group: { command: string; description: string }[];
} {
  const actions = app.conversation.registry.list().filter((a) => !a.buttonOnly);
  const entry = (name: string, description: string) => ({
    command: name,
    description: description.slice(0, 256),
  });
  const all = [
    ...actions.map((a) => entry(a.name, a.description)),
    entry('ask', 'Ask the bot in your own words'),
  ];
  const publicOnes = actions.filter((a) => a.personal === false || typeof a.personal === 'function');
  return {
    private: all,
    group: [
      ...publicOnes.map((a) => entry(a.name, a.description)),
      entry('ask', 'Ask the bot (private answers continue in a DM)'),
    ],
  };
}

/**
 * Telegram only opens URL buttons on public hosts (core.telegram.org/bots/api#inlinekeyboardbutton), and a page
 * that signs with people's keys must be https: a signing link on 127.0.0.1 would make every draft fail.
 */
export function checkSignerUrlForTelegram(url: string): void {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  const host = parsed?.hostname ?? '';
  const local = !host.includes('.') || /^(127\.|10\.|192\.168\.|0\.|169\.254\.)|\.localhost$|^\[/.test(host);
  if (!parsed || parsed.protocol !== 'https:' || local)
    throw new ConfigError(
      `Telegram is enabled, but the signing links would point at ${url}: Telegram only opens links on a public host, and the signer page must be served over https. Set SIGNER_PUBLIC_URL to the https address where people reach the signer page (for example https://sign.example.org behind a TLS reverse proxy to SIGNER_PORT).`,
    );
}

export interface TelegramOptions {
  token: string;
  /** Bot API base URL (a local Bot API server, or an emulator in tests). */
  apiRoot?: string;
  /** Public HTTPS URL Telegram posts updates to; long polling when absent. */
  webhookUrl?: string;
  webhookSecret?: string;
  webhookPort?: number;
  webhookHost?: string;
  /** setWebhook's max_connections (1-100, Telegram's default 40). */
  webhookMaxConnections?: number;
  polling?: { timeoutSeconds?: number; maxBackoffMs?: number };
  inbox?: InboxOptions;
}

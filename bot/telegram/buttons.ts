import type { Button, Reply } from '../../agents/reply.js';
import type { Sql } from '../../db/connection.js';
import { ShortIds } from '../core/short-ids.js';
import { directCallbackData, readDirectCallbackData, renderReply, type TelegramMessage } from './render.js';

type ButtonAction = { action: string; args: Record<string, string>; userId: string };

/**
 * Callback data is limited to 64 bytes: small buttons carry their action and arguments directly (so they survive
 * restarts, e.g. vote buttons on an announcement); larger ones get a short id kept in the database (any process
 * resolves it) for a day, bound to the person the message is for. Either way the action runs as the person who
 * pressed it and checks what they may do.
 */
export class TelegramButtons {
  private readonly stored: ShortIds<ButtonAction>;

  constructor(db: Sql) {
    this.stored = new ShortIds(db, 'telegram-button', 24 * 60 * 60 * 1000);
  }

  /** A Reply as Telegram messages, its action buttons carried directly or stored for `userId`. */
  async render(result: Reply, userId: string): Promise<TelegramMessage[]> {
    const data = new Map<Button, string>();
    for (const button of result.buttons) {
      if (button.type !== 'action') continue;
      const direct = directCallbackData(button);
      data.set(
        button,
        direct ?? `s|${await this.stored.put({ action: button.action, args: button.args, userId })}`,
      );
    }
    return renderReply(result, (button: Extract<Button, { type: 'action' }>) => data.get(button)!);
  }

  /** A pressed button's action, or null when it expired or was made for someone else. */
  async resolve(
    data: string,
    userId: string,
  ): Promise<{ action: string; args: Record<string, string> } | null> {
    if (data.startsWith('a|')) return readDirectCallbackData(data);
    const stored = data.startsWith('s|') ? await this.stored.get(data.slice(2)) : undefined;
    return stored && stored.userId === userId ? stored : null;
  }
}

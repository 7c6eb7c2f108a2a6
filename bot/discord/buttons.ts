import type { Button, Reply } from '../../agents/reply.js';
import type { Sql } from '../../db/connection.js';
import { ShortIds } from '../core/short-ids.js';
import {
  decodeButton,
  encodeButton,
  readStoredButtonId,
  renderReplyPages,
  storedButtonId,
  type DiscordPayload,
} from './render.js';

/** How long a button whose custom_id is a stored id keeps working (as Telegram's stored buttons). */
const STORED_BUTTON_MS = 24 * 60 * 60 * 1000;

/** A button too long for its custom_id: its action, and whose it is (null: anyone who sees it may press it). */
interface StoredButton {
  action: string;
  args: Record<string, string>;
  userId: string | null;
}

/**
 * Buttons in Discord messages. A custom_id carries at most 100 characters: a button whose action and arguments fit
 * carries them ("a|action|{args}", surviving restarts); a longer one (a send with a long memo, an alert's withdraw
 * button with two addresses) is stored under a short id in the database, as Telegram's are, bound to the person
 * the message is for. Either way the action runs as whoever pressed it and checks what they may do.
 */
export class DiscordButtons {
  private readonly stored: ShortIds<StoredButton>;

  constructor(db: Sql) {
    this.stored = new ShortIds(db, 'discord-button', STORED_BUTTON_MS);
  }

  /** A Reply as Discord messages, long buttons stored for `userId` (null: for anyone, e.g. a channel post). */
  async pages(result: Reply, userId: string | null): Promise<DiscordPayload[]> {
    const ids = new Map<Button, string>();
    for (const button of result.buttons) {
      if (button.type !== 'action') continue;
      ids.set(
        button,
        encodeButton(button) ??
          storedButtonId(await this.stored.put({ action: button.action, args: button.args, userId })),
      );
    }
    return renderReplyPages(result, (button) => ids.get(button) ?? null);
  }

  /** A pressed button's action: carried in its custom_id, or stored (and then only for whom it was made). */
  async resolve(
    customId: string,
    userId: string,
  ): Promise<{ action: string; args: Record<string, string> } | null> {
    const stored = readStoredButtonId(customId);
    if (!stored) return decodeButton(customId);
    const button = await this.stored.get(stored);
    return button && (button.userId === null || button.userId === userId) ? button : null;
  }
}

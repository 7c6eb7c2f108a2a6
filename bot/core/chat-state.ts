import { lt } from 'drizzle-orm';
import { tables, type Sql } from '../../db/connection.js';

/** Telegram keeps an update it could not deliver for 24 hours (core.telegram.org/bots/api#getting-updates). */
export const TELEGRAM_UPDATE_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes chat state past its use: expired short ids and Discord follow-up tokens, and Telegram update ids older
 * than Telegram would ever redeliver. The leader runs it; the readers ignore expired rows anyway.
 */
export async function purgeChatState(db: Sql, now: number): Promise<void> {
  const { shortIds, discordFollowups, telegramUpdates } = tables(db);
  await db.delete(shortIds).where(lt(shortIds.expiresAt, now));
  await db.delete(discordFollowups).where(lt(discordFollowups.expiresAt, now));
  await db.delete(telegramUpdates).where(lt(telegramUpdates.receivedAt, now - TELEGRAM_UPDATE_MEMORY_MS));
}

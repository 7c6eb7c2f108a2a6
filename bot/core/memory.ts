import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { tables, type Sql } from '../../db/connection.js';
import { redactSecrets } from '../../pactus/secrets/index.js';

/** How long a turn stays in the model's context: a conversation, not a record of what people said. */
export const MEMORY_TTL_MS = 60 * 60 * 1000;

/**
 * The last few turns per person, for the language model's context only, in the database so that whichever process
 * answers the next message has them. Bounded in turns per person (older ones deleted as new ones come) and in time
 * (turns older than `ttlMs` are neither read nor kept).
 */
export class ConversationMemory {
  constructor(
    private readonly db: Sql,
    private readonly turnsPerPerson = 4,
    private readonly ttlMs = MEMORY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async history(key: string): Promise<BaseMessage[]> {
    const { conversationTurns: t } = tables(this.db);
    const rows = await this.db
      .select({ user: t.userText, bot: t.botText })
      .from(t)
      .where(and(eq(t.key, key), gte(t.at, this.now() - this.ttlMs)))
      .orderBy(desc(t.id))
      .limit(this.turnsPerPerson);
    return rows.reverse().flatMap((r) => [new HumanMessage(r.user), new AIMessage(r.bot)]);
  }

  async remember(key: string, user: string, bot: string): Promise<void> {
    const { conversationTurns: t } = tables(this.db);
    const [row] = await this.db
      .insert(t)
      // Cut out any secret before cutting to length, so no half of one is kept either.
      .values({
        key,
        userText: redactSecrets(user).slice(0, 500),
        botText: redactSecrets(bot).slice(0, 500),
        at: this.now(),
      })
      .returning({ id: t.id });
    // Keeps the newest turns of this person; a concurrent turn from another process only shifts which ones.
    const kept = this.db
      .select({ id: t.id })
      .from(t)
      .where(eq(t.key, key))
      .orderBy(desc(t.id))
      .limit(this.turnsPerPerson);
    await this.db
      .delete(t)
      .where(
        and(eq(t.key, key), lt(t.id, row!.id), sql`${t.id} NOT IN (SELECT id FROM (${kept}) AS newest)`),
      );
  }

  /** Deletes every turn past its time to live. */
  async purge(): Promise<void> {
    const { conversationTurns: t } = tables(this.db);
    await this.db.delete(t).where(lt(t.at, this.now() - this.ttlMs));
  }
}

import { eq, inArray } from 'drizzle-orm';
import { type Db, first, tables } from '../db/connection.js';
import { failDraft } from './outcomes.js';

export const CHAIN_RESTARTED =
  'The chain was restarted (its first block is different now), so this request no longer applies. Ask again.';

/**
 * Binds the database to one chain by the hash of its first block. When the node now serves another chain (a
 * reset devnet, a node switched to another network), the drafts of the old chain can never be mined: they end
 * with that reason instead of failing one by one with confusing lock-time errors.
 */
export async function checkChainIdentity(
  db: Db,
  genesisHash: string,
  now: number,
): Promise<{ changed: boolean; ended: number }> {
  const { chainMeta, drafts } = tables(db);
  const row = await first(db.select().from(chainMeta).where(eq(chainMeta.key, 'genesis')).limit(1));
  if (row?.value === genesisHash) return { changed: false, ended: 0 };
  let ended = 0;
  if (row) {
    const open = await db
      .select()
      .from(drafts)
      .where(inArray(drafts.status, ['pending', 'held', 'submitted']));
    for (const draft of open) if (await failDraft(db, draft, CHAIN_RESTARTED, now)) ended++;
  }
  await db
    .insert(chainMeta)
    .values({ key: 'genesis', value: genesisHash })
    .onConflictDoUpdate({ target: chainMeta.key, set: { value: genesisHash } });
  return { changed: row !== undefined, ended };
}

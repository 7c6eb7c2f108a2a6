import { eq } from 'drizzle-orm';
import { first, tables, transaction, type Sql } from '../db/connection.js';
import type { PactusNodeClient } from '../chain/client.js';
import { writeOutbox } from './outbox.js';

/**
 * Below this PIP-19 availability score a validator is skipped as proposer: consensus/config.go's
 * MinimumAvailabilityScore (0.666667). Alerts use it unless ALERT_AVAILABILITY_MIN says otherwise.
 */
export const DEFAULT_AVAILABILITY_MIN = 0.666667;

export interface WatchedValidator {
  /** The owner (chat account) and where to reach them. */
  id: number;
  platform: string;
  userId: string;
  address: string;
}

interface Seen {
  committee: boolean;
  low: boolean;
}

const key = (address: string) => `validator_watch:${address}`;

/**
 * Committee and availability changes of linked validators, once per new block. What each validator looked like
 * last is kept in chain_meta, written in the same transaction as the alerts it caused, so a restart neither
 * repeats nor misses a change. The first sighting only records (a state the bot never saw change is not news).
 */
export async function validatorChanges(
  db: Sql,
  node: PactusNodeClient,
  watched: WatchedValidator[],
  tip: number,
  availabilityMin: number,
): Promise<number> {
  if (!watched.length) return 0;
  const committee = await node.getCommitteeAddresses();
  const { chainMeta } = tables(db);
  let written = 0;
  for (const address of new Set(watched.map((w) => w.address))) {
    const state = await node.findValidator(address);
    if (!state) continue;
    const now: Seen = { committee: committee.has(address), low: state.availabilityScore < availabilityMin };
    const stored = await first(
      db
        .select()
        .from(chainMeta)
        .where(eq(chainMeta.key, key(address)))
        .limit(1),
    );
    const before = stored ? (JSON.parse(stored.value) as Seen) : null;
    if (before && before.committee === now.committee && before.low === now.low) continue;
    written += await transaction(db, async (tx) => {
      let count = 0;
      for (const owner of before ? watched.filter((w) => w.address === address) : []) {
        const base = { chatAccountId: owner.id, platform: owner.platform, recipient: owner.userId };
        if (before!.committee !== now.committee) {
          await writeOutbox(tx, {
            ...base,
            dedupeKey: `committee:${address}:${now.committee ? 'in' : 'out'}:${tip}:${owner.id}`,
            kind: 'validator_committee',
            payload: { validator: address, joined: now.committee, height: tip },
          });
          count++;
        }
        if (before!.low !== now.low) {
          await writeOutbox(tx, {
            ...base,
            dedupeKey: `availability:${address}:${now.low ? 'low' : 'ok'}:${tip}:${owner.id}`,
            kind: 'validator_availability',
            payload: {
              validator: address,
              score: state.availabilityScore,
              threshold: availabilityMin,
              low: now.low,
              height: tip,
            },
          });
          count++;
        }
      }
      await tx
        .insert(chainMeta)
        .values({ key: key(address), value: JSON.stringify(now) })
        .onConflictDoUpdate({ target: chainMeta.key, set: { value: JSON.stringify(now) } });
      return count;
    });
  }
  return written;
}

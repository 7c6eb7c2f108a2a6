// The embedded devnet continued from its chain file after a downtime: the only validator is back, so it commits
// the next block at once and the bot does not read the gap as a sync (an outside run of the README's
// `printf ... | npm start` was told "still syncing (52 blocks behind)" for its first seconds after a restart).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PactusNodeClient } from '../../../chain/client.js';
import { startDevnet } from '../../../devnet/index.js';
import { waitFor } from '../../support/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'devnet-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a devnet resumed after a downtime of several block intervals is healthy at once, one block further', async () => {
  const chainFile = join(dir, 'devnet-chain.jsonl');
  const first = await startDevnet({ chainFile, blockMs: 100 });
  await waitFor(() => first.chain.height >= 3);
  const before = first.chain.height;
  await first.stop();
  // Three block intervals of the resumed devnet (it counts blocks left by whole seconds) pass while it is down.
  await new Promise((resolve) => setTimeout(resolve, 3_100));
  const resumed = await startDevnet({ chainFile, blockMs: 1_000 });
  const client = new PactusNodeClient({ endpoints: [resumed.endpoint] });
  try {
    expect(resumed.restored.blocks).toBe(before);
    const info = await client.ensureHealthy();
    expect(info.blocksLeft).toBe(0n);
    expect(info.height).toBe(before + 1);
  } finally {
    client.close();
    await resumed.stop();
  }
}, 30_000);

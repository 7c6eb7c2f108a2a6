import { afterAll, beforeAll } from 'vitest';
import { PactusNodeClient } from '../../chain/client.js';
import { startDevnet, type Devnet, type DevnetOptions } from '../../devnet/index.js';

export interface DevnetFixture {
  devnet: Devnet;
  client: PactusNodeClient;
}

/** Starts a devnet (fast blocks) and a client for the current test file; both stop after the file. */
export function useDevnet(options: DevnetOptions = {}): DevnetFixture {
  const fixture = {} as DevnetFixture;
  beforeAll(async () => {
    fixture.devnet = await startDevnet({ blockMs: 200, ...options });
    fixture.client = new PactusNodeClient({ endpoints: [fixture.devnet.endpoint], deadlineMs: 2000 });
  });
  afterAll(async () => {
    fixture.client?.close();
    await fixture.devnet?.stop();
  });
  return fixture;
}

/** Resolves when the chain reaches `height` (blocks are produced by the devnet's own timer). */
export async function waitForHeight(devnet: Devnet, height: number, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (devnet.chain.height < height) {
    if (Date.now() - start > timeoutMs) throw new Error(`devnet did not reach height ${height}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

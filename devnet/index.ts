import * as grpc from '@grpc/grpc-js';
import { DevnetChain, type DevnetChainOptions } from './chain.js';
import { openPersistentChain } from './persist.js';
import { addDevnetServices } from './server.js';
import { DEFAULT_DEVNET_MNEMONIC } from './genesis.js';

export { DevnetChain, TxRejected, MIN_FEE, BLOCK_REWARD, FOUNDATION_REWARD } from './chain.js';
export {
  DEFAULT_DEVNET_MNEMONIC,
  DEVNET_ACCOUNT_FUNDS,
  DEVNET_ROLES,
  DEVNET_VALIDATOR_STAKE,
  devnetAccountKey,
  devnetKeys,
  foundationAddress,
  unusedDevnetValidators,
} from './genesis.js';

export interface DevnetOptions extends Partial<DevnetChainOptions> {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Milliseconds between blocks (DEVNET_BLOCK_MS, default 1000). */
  blockMs?: number;
  /** Reuse a chain, e.g. to restart the server on the same state. */
  chain?: DevnetChain;
  /** Require "user:password" basic auth on every call, like a node with PIP-20 auth enabled. */
  basicAuth?: string;
  /** Keep the chain in this file (one line per block) so a restart continues it; in memory without. */
  chainFile?: string;
}

export interface Devnet {
  endpoint: string;
  port: number;
  chain: DevnetChain;
  mnemonic: string;
  /** Blocks replayed from `chainFile` at start, and where a file of another chain was moved. */
  restored: { blocks: number; movedAside: string | null };
  /** Holds block production (e.g. to keep a transaction in the pool); `resumeBlocks` restarts it. */
  pauseBlocks(): void;
  resumeBlocks(): void;
  /** Stops producing blocks and closes the server (the chain object stays usable for a restart). */
  stop(): Promise<void>;
}

/** Starts the embedded devnet node: a real gRPC server on loopback over an in-memory chain. */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const mnemonic = options.mnemonic ?? DEFAULT_DEVNET_MNEMONIC;
  let restored: Devnet['restored'] = { blocks: 0, movedAside: null };
  let chain = options.chain;
  if (!chain && options.chainFile) {
    const loaded = openPersistentChain(options.chainFile, { ...options, mnemonic });
    chain = loaded.chain;
    restored = { blocks: loaded.replayed, movedAside: loaded.movedAside };
  }
  chain ??= new DevnetChain({ ...options, mnemonic });
  // A chain continued from its file has not moved while the process was down, so its last block is as old as the
  // downtime and the node reports that many blocks left (state/state.go ChainInfo), which the bot reads as "still
  // syncing". The devnet is the only validator: like a validator back online it commits the next block at once.
  if (restored.blocks > 0) chain.produceBlock();
  const server = new grpc.Server();
  // Go's block interval is whole seconds; a faster test devnet still counts blocks left by the second.
  addDevnetServices(
    server,
    chain,
    options.basicAuth,
    Math.max(1, Math.round((options.blockMs ?? 1000) / 1000)),
  );
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${host}:${options.port ?? 0}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  let paused = false;
  const timer = setInterval(() => {
    if (!paused) chain.produceBlock();
  }, options.blockMs ?? 1000);
  timer.unref();
  let stopped = false;
  return {
    endpoint: `${host}:${port}`,
    port,
    chain,
    mnemonic,
    restored,
    pauseBlocks: () => {
      paused = true;
    },
    resumeBlocks: () => {
      paused = false;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      // Graceful first, but never let a lingering client connection hold the stop.
      await Promise.race([
        new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
        new Promise<void>((resolve) => setTimeout(resolve, 500).unref()),
      ]);
      server.forceShutdown();
    },
  };
}

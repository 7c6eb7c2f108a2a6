import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { PactusNodeClient } from '../chain/client.js';
import type { WalletConfig } from './config.js';
import { DraftingService } from './drafting.js';
import { LinkingService } from './linking.js';
import { SigningService } from './signing.js';
import { ConfirmationTracker } from './tracker.js';
import { UndoWindow } from './undo.js';

export interface Wallet {
  config: WalletConfig;
  db: Db;
  node: PactusNodeClient;
  drafting: DraftingService;
  signing: SigningService;
  linking: LinkingService;
  tracker: ConfirmationTracker;
  /** Holds signed transactions for the person's undo window; every process runs its pass (`start()`). */
  undo: UndoWindow;
}

/** Wires the wallet services over one database and one node client. */
export function createWallet(options: {
  db: Db;
  node: PactusNodeClient;
  config: WalletConfig;
  logger: Logger;
  trackerPollMs?: number;
  undoPollMs?: number;
}): Wallet {
  const { db, node, config, logger } = options;
  const tracker = new ConfirmationTracker(db, node, logger.child({ component: 'tracker' }), {
    pollMs: options.trackerPollMs ?? 2000,
    now: config.now,
  });
  const undo = new UndoWindow(db, node, config, logger.child({ component: 'undo' }), {
    pollMs: options.undoPollMs ?? 1000,
    afterBroadcast: () => void tracker.poke(),
  });
  const signing = new SigningService(db, node, config, tracker, logger.child({ component: 'signing' }), undo);
  return {
    config,
    db,
    node,
    tracker,
    undo,
    signing,
    drafting: new DraftingService(db, node, config),
    linking: new LinkingService(db, config, signing),
  };
}

export * from './accounts.js';
export * from './chain-identity.js';
export * from './config.js';
export * from './drafting.js';
export * from './drafts.js';
export * from './errors.js';
export * from './outbox.js';
export * from './signing.js';
export * from './linking.js';
export * from './tracker.js';
export * from './undo.js';
export * from './tokens.js';

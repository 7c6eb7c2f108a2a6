// What a wallet child process of a crash or race test opens (signer-process.ts, undo-process.ts): the database
// and node the parent names in DATABASE_URL and PACTUS_GRPC, warnings on stderr, and a devnet-paced testnet config.
import pino from 'pino';
import { PactusNodeClient } from '../../chain/client.js';
import { openDatabase } from '../../db/connection.js';
import { testnetWalletConfig } from './wallet-config.js';

export async function childWalletDeps() {
  const db = await openDatabase(process.env.DATABASE_URL!);
  const node = new PactusNodeClient({ endpoints: [process.env.PACTUS_GRPC!], deadlineMs: 2000 });
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const config = testnetWalletConfig({ publicUrl: 'http://127.0.0.1:0', blockIntervalMs: 200 });
  return { db, node, logger, config };
}

// A bot process as far as the undo window goes (wallet + its pass, no tracker), for restart and race tests: it
// prints one line when it runs, and the parent kills it.
import pino from 'pino';
import { openDatabase } from '../../db/connection.js';
import { PactusNodeClient } from '../../chain/client.js';
import { createWallet } from '../../wallet/index.js';

const db = await openDatabase(process.env.DATABASE_URL!);
const node = new PactusNodeClient({ endpoints: [process.env.PACTUS_GRPC!], deadlineMs: 2000 });
const logger = pino({ level: 'warn' }, pino.destination(2));
const config = {
  network: 'testnet' as const,
  publicUrl: 'http://127.0.0.1:0',
  linkTtlMs: 15 * 60_000,
  blockIntervalMs: 200,
  unbondInterval: 3,
  now: Date.now,
};
const wallet = createWallet({ db, node, config, logger, undoPollMs: 50 });
wallet.undo.start();
process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);

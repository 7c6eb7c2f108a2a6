// A signer server + confirmation tracker in its own process, for crash tests: the parent kills it with SIGKILL.
import pino from 'pino';
import { openDatabase } from '../../db/connection.js';
import { PactusNodeClient } from '../../chain/client.js';
import { createSignerServer } from '../../signer-web/server/server.js';
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
const wallet = createWallet({ db, node, config, logger, trackerPollMs: 100 });
const server = await createSignerServer({ signing: wallet.signing, logger });
const url = await server.listen({ host: '127.0.0.1', port: 0 });
wallet.tracker.start();
process.stdout.write(`${JSON.stringify({ url })}\n`);

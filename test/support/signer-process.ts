// A signer server + confirmation tracker in its own process, for crash tests: the parent kills it with SIGKILL.
import { createSignerServer } from '../../signer-web/server/server.js';
import { createWallet } from '../../wallet/index.js';
import { childWalletDeps } from './child-wallet.js';

const { db, node, logger, config } = await childWalletDeps();
const wallet = createWallet({ db, node, config, logger, trackerPollMs: 100 });
const server = await createSignerServer({ signing: wallet.signing, logger });
const url = await server.listen({ host: '127.0.0.1', port: 0 });
wallet.tracker.start();
process.stdout.write(`${JSON.stringify({ url })}\n`);

// A bot process as far as the undo window goes (wallet + its pass, no tracker), for restart and race tests: it
// prints one line when it runs, and the parent kills it.
import { createWallet } from '../../wallet/index.js';
import { childWalletDeps } from './child-wallet.js';

const { db, node, logger, config } = await childWalletDeps();
const wallet = createWallet({ db, node, config, logger, undoPollMs: 50 });
wallet.undo.start();
process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { verifyBundle, type EpochBundle } from '../../compute/epoch.js';
import { ReceiptVerifier } from '../../compute/verifier.js';
import { parseEpochMemo } from '../../compute/payouts.js';
import { pacText as pac } from '../../pactus/amount.js';
import { PactusNodeClient, parseEndpoints } from '../../pactus/node/client.js';
import { decodeTransactionHex } from '../../pactus/tx.js';
import type { Command } from './main.js';

/** The anchor on chain: committed, and its memo names this epoch and root. */
async function anchorProblems(bundle: EpochBundle, node: string): Promise<string[]> {
  if (!bundle.anchor) return ['the bundle names no anchor transaction yet'];
  const client = new PactusNodeClient({ endpoints: parseEndpoints(node), readAttempts: 2 });
  try {
    const state = await client.transactionState(bundle.anchor.txId);
    if (state.state !== 'committed')
      return [`the node has no anchor transaction ${bundle.anchor.txId} in a block`];
    const memo = parseEpochMemo(
      decodeTransactionHex(await client.getTransactionData(bundle.anchor.txId)).memo,
    );
    if (!memo || memo.epoch !== bundle.epoch || memo.root !== bundle.root)
      return ['the anchor memo on chain names another epoch or root'];
    return [];
  } catch (error) {
    return [`could not check the anchor against ${node}: ${(error as Error).message}`];
  } finally {
    client.close();
  }
}

/**
 * `pactus-bot verify-epoch <bundle.json> [--node host:port]`: re-checks a compute epoch from its bundle alone:
 * every receipt's signature, the Merkle root, each contributor's credit (2 x parameters x tokens) and share of
 * the budget, and with --node the anchor on chain. Exit 0 when everything holds.
 */
export const verifyEpochCommand: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { node: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }
  const [file] = parsed.positionals;
  if (!file) {
    io.err('error: give an epoch bundle (GET <signer url>/compute/epochs/<n>/bundle.json)');
    return 1;
  }
  let bundle: EpochBundle;
  try {
    bundle = JSON.parse(await readFile(file, 'utf8')) as EpochBundle;
    if (bundle.version !== 1 || !Array.isArray(bundle.receipts))
      throw new Error('not a compute epoch bundle');
  } catch (error) {
    io.err(`error: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  // Every core checks signatures: a full epoch has thousands of receipts at ~35 ms each.
  const verifier = new ReceiptVerifier(availableParallelism());
  const problems = await verifyBundle(bundle, (receipts, network) =>
    verifier.problems(receipts, network),
  ).finally(() => verifier.close());
  if (parsed.values.node) problems.push(...(await anchorProblems(bundle, parsed.values.node)));
  io.out(
    `epoch ${bundle.epoch}: blocks ${bundle.startHeight}-${bundle.endHeight - 1}, ${bundle.receipts.length} receipts, root ${bundle.root}`,
  );
  io.out(`budget ${pac(BigInt(bundle.budget))}`);
  for (const [contributor, share] of Object.entries(bundle.shares))
    io.out(`  ${contributor}: credit ${bundle.credits[contributor] ?? 0}, share ${pac(BigInt(share))}`);
  for (const [contributor, why] of Object.entries(bundle.zeroed))
    io.out(`  ${contributor}: no credit (${why})`);
  for (const problem of problems) io.err(`problem: ${problem}`);
  io.out(problems.length === 0 ? 'VERIFIED' : 'NOT VERIFIED');
  return problems.length === 0 ? 0 : 1;
};

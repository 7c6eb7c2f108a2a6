import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BUNDLE_FORMAT, verifyBundle, type ResultBundle } from '../../governance/bundle.js';
import { parseAnchorMemo } from '../../governance/anchor.js';
import { verifyReceipt, type AnchorJson, type Receipt } from '../../governance/receipts.js';
import { pacText as pac } from '../../pactus/amount.js';
import { decodeTransactionHex } from '../../pactus/tx.js';
import { anchorOnChain } from './anchor-on-chain.js';
import type { Command, CliIo } from './main.js';

/** The anchor as the chain has it: committed, the same bytes, the same memo. Problems in words. */
async function checkOnChain(anchor: AnchorJson | null, node: string, io: CliIo): Promise<string[]> {
  if (!anchor) return ['there is no anchor transaction to look up'];
  const { problems, blockHeight } = await anchorOnChain(node, anchor.txId, (onChain) =>
    onChain.memo !== decodeTransactionHex(anchor.signedTx).memo || !parseAnchorMemo(onChain.memo)
      ? ['the memo on chain differs from the bundle']
      : [],
  );
  if (blockHeight !== null)
    io.out(`anchor: transaction ${anchor.txId} in block ${blockHeight} (checked against ${node})`);
  return problems;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/**
 * `pactus-bot verify-proposal <bundle.json> [--node host:port]` re-verifies a DAO result bundle without the bot's
 * database: every signature, the snapshot and rules the proposal committed to, the ballot set against its root
 * and the on-chain anchor, and the outcome. `--receipt <receipt.json>` checks one voter's receipt instead. Exit 0
 * when everything holds.
 */
export const verifyProposalCommand: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { receipt: { type: 'string' }, node: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }
  const { receipt: receiptFile, node } = parsed.values;
  const [file] = parsed.positionals;
  if (!file && !receiptFile) {
    io.err(
      'error: give a result bundle (GET <signer url>/proposals/<id>/bundle.json) or --receipt <receipt.json>',
    );
    return 1;
  }
  if (receiptFile) {
    let receipt: Receipt;
    try {
      receipt = await readJson<Receipt>(receiptFile);
    } catch (error) {
      io.err(`error: cannot read ${receiptFile}: ${(error as Error).message}`);
      return 1;
    }
    const problems = verifyReceipt(receipt);
    if (!receipt.anchor)
      problems.push('the receipt names no anchor transaction yet: fetch it again once anchored');
    if (node) problems.push(...(await checkOnChain(receipt.anchor, node, io)));
    io.out(
      `receipt: proposal #${receipt.proposalId}, ballot #${receipt.leafIndex + 1} of ${receipt.ballots}, root ${receipt.root}`,
    );
    for (const problem of problems) io.err(`problem: ${problem}`);
    io.out(problems.length === 0 ? 'VERIFIED' : 'NOT VERIFIED');
    return problems.length === 0 ? 0 : 1;
  }
  let bundle: ResultBundle;
  try {
    bundle = await readJson<ResultBundle>(file!);
    if (bundle.format !== BUNDLE_FORMAT) throw new Error(`not a ${BUNDLE_FORMAT} bundle`);
  } catch (error) {
    io.err(`error: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  let result;
  try {
    result = verifyBundle(bundle);
  } catch (error) {
    io.err(`error: the bundle is malformed: ${(error as Error).message}`);
    return 1;
  }
  const problems = [...result.problems];
  if (node) problems.push(...(await checkOnChain(bundle.anchor, node, io)));
  const t = result.tally!;
  io.out(`proposal #${bundle.proposal.id} ${bundle.proposal.hash}`);
  io.out(
    `ballots: ${bundle.ballots.length} (root ${bundle.proposal.ballotRoot}), snapshot: block ${bundle.snapshot.height} (${bundle.snapshot.entries.length} voters, ${pac(BigInt(bundle.snapshot.total))})`,
  );
  io.out(
    `yes ${pac(t.yes)}, no ${pac(t.no)}, abstain ${pac(t.abstain)}; quorum ${pac(t.cast)} of ${pac(t.quorum)} (${t.quorumMet ? 'met' : 'not met'})`,
  );
  io.out(`outcome: ${result.outcome}`);
  for (const problem of problems) io.err(`problem: ${problem}`);
  io.out(problems.length === 0 ? 'VERIFIED' : 'NOT VERIFIED');
  return problems.length === 0 ? 0 : 1;
};

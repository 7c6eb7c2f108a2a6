import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { verifyBundle, type EpochBundle, type ReceiptChecks } from '../../compute/epoch.js';
import { verifyContributorProofs, type ContributorProofs } from '../../compute/proofs.js';
import { ReceiptVerifier } from '../../compute/verifier.js';
import { parseEpochMemo } from '../../compute/payouts.js';
import { pacText as pac } from '../../pactus/amount.js';
import { anchorOnChain } from './anchor-on-chain.js';
import type { CliIo as Io, Command } from './main.js';

type Anchored = Pick<EpochBundle, 'epoch' | 'root' | 'anchor'>;

/** The anchor on chain: committed, and its memo names this epoch and root. */
async function anchorProblems(bundle: Anchored, node: string): Promise<string[]> {
  if (!bundle.anchor) return ['the file names no anchor transaction yet'];
  const { problems } = await anchorOnChain(node, bundle.anchor.txId, (onChain) => {
    const memo = parseEpochMemo(onChain.memo);
    return memo?.epoch === bundle.epoch && memo.root === bundle.root
      ? []
      : ['the anchor memo on chain names another epoch or root'];
  });
  return problems;
}

/** Every core checks signatures: a full epoch has thousands of receipts at ~35 ms each. */
async function withVerifier<T>(use: (checks: ReceiptChecks) => Promise<T>): Promise<T> {
  const verifier = new ReceiptVerifier(availableParallelism());
  try {
    return await use((receipts, network) => verifier.problems(receipts, network));
  } finally {
    await verifier.close();
  }
}

function printBundle(bundle: EpochBundle, io: Io): void {
  io.out(
    `epoch ${bundle.epoch}: blocks ${bundle.startHeight}-${bundle.endHeight - 1}, ${bundle.receipts.length} receipts, root ${bundle.root}`,
  );
  io.out(`budget ${pac(BigInt(bundle.budget))}`);
  for (const [contributor, share] of Object.entries(bundle.shares))
    io.out(`  ${contributor}: credit ${bundle.credits[contributor] ?? 0}, share ${pac(BigInt(share))}`);
  for (const [contributor, why] of Object.entries(bundle.zeroed))
    io.out(`  ${contributor}: no credit (${why})`);
}

function printProofs(file: ContributorProofs, io: Io): void {
  io.out(`epoch ${file.epoch}: ${file.receipts.length} receipts of ${file.contributor} in root ${file.root}`);
  io.out(
    file.zeroed
      ? `  no credit (${file.zeroed})`
      : `  credit ${file.credit}, share ${pac(BigInt(file.share))}`,
  );
}

/**
 * `pactus-bot verify-epoch <file> [--node host:port]`. Given an epoch bundle, re-checks the whole epoch from it
 * alone: every receipt's signature, the Merkle root, each contributor's credit (2 x parameters x tokens) and share
 * of the budget. Given a contributor's proofs file, checks that each receipt is the contributor's, signed, and in
 * the root by its path. With --node, also that the root is anchored on chain. Exit 0 when everything holds.
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
    io.err(
      'error: give an epoch bundle (<signer url>/compute/epochs/<n>/bundle.json) or your proofs file ("my proofs" in the chat)',
    );
    return 1;
  }
  let content: EpochBundle | ContributorProofs;
  try {
    content = JSON.parse(await readFile(file, 'utf8')) as EpochBundle | ContributorProofs;
    if (content.version !== 1 || !Array.isArray(content.receipts))
      throw new Error('not a compute epoch bundle or proofs file');
  } catch (error) {
    io.err(`error: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  let problems: string[];
  if ('kind' in content && content.kind === 'compute-contributor-proofs') {
    const proofs = content;
    problems = await withVerifier((checks) => verifyContributorProofs(proofs, checks));
    printProofs(proofs, io);
  } else {
    const bundle = content as EpochBundle;
    problems = await withVerifier((checks) => verifyBundle(bundle, checks));
    printBundle(bundle, io);
  }
  if (parsed.values.node) problems.push(...(await anchorProblems(content, parsed.values.node)));
  for (const problem of problems) io.err(`problem: ${problem}`);
  io.out(problems.length === 0 ? 'VERIFIED' : 'NOT VERIFIED');
  return problems.length === 0 ? 0 : 1;
};

import { readFile } from 'node:fs/promises';
import { verifyBundle, type ResultBundle } from '../../governance/bundle.js';
import { pacText as pac } from '../../pactus/amount.js';
import type { Command } from './main.js';

/**
 * `pactus-bot verify-proposal <bundle.json>`: re-verifies a DAO result bundle without the bot's database —
 * every signature, the snapshot and rules hashes, and the outcome. Exit 0 when it all holds.
 */
export const verifyProposalCommand: Command = async (args, io) => {
  const [file] = args;
  if (!file) {
    io.err('error: give the path of a result bundle (GET <signer url>/proposals/<id>/bundle.json)');
    return 1;
  }
  let bundle: ResultBundle;
  try {
    bundle = JSON.parse(await readFile(file, 'utf8')) as ResultBundle;
    if (bundle.format !== 'pactus-dao-result/1') throw new Error('not a pactus-dao-result/1 bundle');
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
  const t = result.tally!;
  io.out(`proposal #${bundle.proposal.id} ${bundle.proposal.hash}`);
  io.out(
    `ballots: ${bundle.ballots.length}, snapshot: block ${bundle.snapshot.height} (${bundle.snapshot.entries.length} voters, ${pac(BigInt(bundle.snapshot.total))})`,
  );
  io.out(
    `yes ${pac(t.yes)}, no ${pac(t.no)}, abstain ${pac(t.abstain)}; quorum ${pac(t.cast)} of ${pac(t.quorum)} (${t.quorumMet ? 'met' : 'not met'})`,
  );
  io.out(`outcome: ${result.outcome}`);
  for (const problem of result.problems) io.err(`problem: ${problem}`);
  io.out(result.ok ? 'VERIFIED' : 'NOT VERIFIED');
  return result.ok ? 0 : 1;
};

import { checkDeployment, type Trust } from '../../deployment/verify.js';
import { readShape } from '../../deployment/shape.js';
import { bundleSchema, type ResultBundle } from '../../governance/bundle.js';
import { finalHash, resultHash } from '../../governance/commitments.js';
import { receiptSchema, verifyReceipt, type Receipt } from '../../governance/receipts.js';
import { snapshotAgainstChain } from '../../governance/snapshot-check.js';
import { anchorBounds, verifyBundle, type SignatureCache } from '../../governance/verify-bundle.js';
import { pacText as pac } from '../../pactus/amount.js';
import { anchorOnChain } from './anchor-on-chain.js';
import { deploymentOnChain } from './deployment-arg.js';
import type { Command, CliIo } from './main.js';
import {
  NO_NODE,
  report,
  startRun,
  unreadable,
  withChain,
  wrongNetwork,
  type Verdict,
  type VerifyDeps,
} from './verdict.js';

type Deps = VerifyDeps & { signatures?: SignatureCache };

async function verifyBundleFile(
  bundle: ResultBundle,
  trust: Trust,
  node: string | undefined,
  io: CliIo,
  deps: Deps,
) {
  const v: Verdict = { problems: [], unchecked: [], notFinal: null };
  const network = bundle.network;
  const p = bundle.proposal;
  const deployment = checkDeployment({
    ref: bundle.deployment,
    embedded: bundle.manifest,
    trust,
    height: bundle.snapshot.height,
    network,
  });
  v.problems.push(...deployment.problems);
  v.unchecked.push(...deployment.unchecked);
  const record = deployment.record;
  if (!record) return v;
  const m = record.manifest;
  io.out(`deployment: ${m.operator}, manifest version ${m.version} (${record.hash})`);
  const checked = verifyBundle(bundle, m, (deps.now ?? Date.now)(), deps.signatures);
  v.problems.push(...checked.problems);
  const t = checked.tally!;
  io.out(`proposal #${p.id} ${p.hash}`);
  io.out(
    `ballots: ${bundle.ballots.length} (root ${p.ballotRoot}), snapshot: block ${bundle.snapshot.height} (${bundle.snapshot.entries.length} voters, ${pac(BigInt(bundle.snapshot.total))})`,
  );
  const d = checked.delegations;
  if (d.delegations || d.revocations)
    io.out(
      `delegations in force at the snapshot: ${d.delegations} (and ${d.revocations} revoked); ${t.delegated} holder(s) voted through their delegate, ${pac(t.delegatedPower)}`,
    );
  io.out(
    `${checked.status === 'open' ? 'open, so far: ' : ''}yes ${pac(t.yes)}, no ${pac(t.no)}, abstain ${pac(t.abstain)}; quorum ${pac(t.cast)} of ${pac(t.quorum)} (${t.quorumMet ? 'met' : 'not met'})`,
  );
  if (checked.status === 'open') v.notFinal = `open, so far: ${checked.why}`;
  else {
    io.out(`outcome: ${checked.outcome}${checked.status === 'final' ? '' : ', not final'}`);
    if (checked.status === 'not_final') v.notFinal = checked.why;
  }
  await withChain(node, deps, v, async (chain) => {
    if (!chain) return void v.unchecked.push(NO_NODE);
    const elsewhere = await wrongNetwork(chain, network);
    if (elsewhere) return void v.problems.push(elsewhere);
    v.problems.push(
      ...(await deploymentOnChain(chain, trust, record, network, bundle.snapshot.height)).problems,
    );
    const bounds = anchorBounds(bundle, m, checked.outcome);
    const expected = { subject: p.id, operator: m.operator, network };
    for (const [kind, anchor, hash] of [
      ['result', bundle.anchors.result, () => resultHash(bundle)],
      ['final', bundle.anchors.final, () => finalHash(bundle)],
    ] as const)
      if (anchor) {
        const found = await anchorOnChain(chain, anchor, { ...expected, kind, hash: hash() }, bounds[kind]);
        v.problems.push(...found.problems);
        if (found.height !== null)
          io.out(`${kind} anchor: transaction ${anchor.txId} in block ${found.height}`);
      }
    const snapshot = snapshotAgainstChain(bundle.snapshot, await chain.validators());
    v.problems.push(...snapshot.problems);
    if (snapshot.undecided)
      v.unchecked.push(
        `the stake of ${snapshot.undecided} validator(s) that bonded again after the snapshot (a node keeps no history)`,
      );
  });
  return v;
}

async function verifyReceiptFile(
  receipt: Receipt,
  trust: Trust,
  node: string | undefined,
  io: CliIo,
  deps: Deps,
) {
  const v: Verdict = { problems: verifyReceipt(receipt), unchecked: [], notFinal: null };
  const h = receipt.header;
  io.out(
    `receipt: proposal #${receipt.proposalId}, ballot #${receipt.leafIndex + 1} of ${receipt.ballots}, root ${receipt.root}`,
  );
  if (h.deployment && h.deployment.operator !== trust.operator)
    v.problems.push(
      `the receipt is under the deployment of ${h.deployment.operator}, not of ${trust.operator}`,
    );
  const known = h.deployment && trust.known.find((r) => r.manifest.version === h.deployment!.version);
  if (known && known.hash !== h.deployment!.manifest)
    v.problems.push(
      `the receipt names manifest version ${known.manifest.version} with another hash than the deployment's`,
    );
  v.unchecked.push('the tally, the other ballots and the rules (verify the whole bundle for those)');
  if (!receipt.anchor)
    v.notFinal = 'the receipt names no anchor yet: fetch it again once the result is anchored';
  await withChain(node, deps, v, async (chain) => {
    if (!chain) return void v.unchecked.push(NO_NODE);
    const elsewhere = await wrongNetwork(chain, receipt.network);
    if (elsewhere) return void v.problems.push(elsewhere);
    if (!receipt.anchor || !h.deployment) return;
    const expected = {
      kind: 'result' as const,
      subject: receipt.proposalId,
      hash: resultHash(h),
      operator: trust.operator,
      network: receipt.network,
    };
    const found = await anchorOnChain(chain, receipt.anchor, expected, {
      afterHeight: h.snapshot.height,
      notBeforeMs: h.proposal.endsAt,
    });
    v.problems.push(...found.problems);
    if (found.height !== null)
      io.out(`result anchor: transaction ${receipt.anchor.txId} in block ${found.height}`);
  });
  return v;
}

/**
 * `pactus-bot verify-proposal <bundle.json | url> --deployment <operator | manifest> [--node host:port]`
 * re-verifies a DAO result bundle without the bot's database, under the deployment the caller names: the rules come
 * from its manifest; every signature, the snapshot, the ballot set, the outcome and the operator's anchors are
 * checked, and with --node the anchors' blocks and the snapshot against the chain's stake. `--receipt <file | url>`
 * checks one voter's receipt instead. Exit 0 VERIFIED (final), 1 NOT VERIFIED, 2 NOT FINAL (open, or in its veto
 * window, or not anchored yet).
 */
export async function runVerifyProposal(args: string[], io: CliIo, deps: Deps = {}): Promise<number> {
  const run = await startRun(args, io, deps, {
    extra: ['receipt'],
    missing: 'a result bundle (<bot url>/proposals/<id>/bundle.json, or a file) or --receipt <file or url>',
    source: (values, file) => values.receipt ?? file,
  });
  if (typeof run === 'number') return run;
  const isReceipt = run.values.receipt !== undefined;
  const shape = isReceipt
    ? readShape(receiptSchema, run.json, `the receipt ${run.source}`)
    : readShape(bundleSchema, run.json, `the bundle ${run.source}`);
  if (!shape.ok) return report(io, { problems: [shape.problem], unchecked: [], notFinal: null });
  try {
    return report(
      io,
      isReceipt
        ? await verifyReceiptFile(shape.value as Receipt, run.trust, run.node, io, deps)
        : await verifyBundleFile(shape.value as ResultBundle, run.trust, run.node, io, deps),
    );
  } catch (error) {
    return unreadable(io, error);
  }
}

export const verifyProposalCommand: Command = (args, io) => runVerifyProposal(args, io);

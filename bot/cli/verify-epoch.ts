import { availableParallelism } from 'node:os';
import type { AnchorJson } from '../../deployment/anchors.js';
import { canonicalHash } from '../../deployment/canonical.js';
import type { Manifest } from '../../deployment/manifest.js';
import { readShape } from '../../deployment/shape.js';
import type { Trust } from '../../deployment/verify.js';
import { RECEIPT_CLOCK_SKEW_MS } from '../../compute/checks.js';
import { epochHeader, type EpochBundle, type ReceiptChecks } from '../../compute/epoch.js';
import {
  STAKE_ZEROED,
  epochBundleSchema,
  epochParams,
  stakeAtClose,
  verifyEpochBundle,
  type EpochHeader,
} from '../../compute/epoch-verify.js';
import {
  PROOFS_KIND,
  proofsSchema,
  verifyContributorProofs,
  type ContributorProofs,
} from '../../compute/proofs.js';
import type { Receipt } from '../../compute/receipt.js';
import { ReceiptVerifier } from '../../compute/verifier.js';
import { pacText as pac } from '../../pactus/amount.js';
import { anchorOnChain } from './anchor-on-chain.js';
import { nodeProblem, type ChainView } from './chain-view.js';
import { deploymentOnChain } from './deployment-arg.js';
import type { CliIo as Io, Command } from './main.js';
import {
  NO_NODE,
  NodeUnreachable,
  report,
  startRun,
  unreadable,
  namedDeployment,
  withChain,
  wrongNetwork,
  type Verdict,
  type VerifyDeps,
} from './verdict.js';

type Deps = VerifyDeps & { checks?: ReceiptChecks };

/** Every core checks signatures: a full epoch has thousands of receipts at ~35 ms each. */
async function withChecks<T>(deps: Deps, use: (checks: ReceiptChecks) => Promise<T>): Promise<T> {
  if (deps.checks) return use(deps.checks);
  const verifier = new ReceiptVerifier(availableParallelism());
  try {
    return await use((receipts, network) => verifier.problems(receipts, network));
  } finally {
    await verifier.close();
  }
}

/**
 * The chain's side of an epoch: its anchor in a block after the close, the stake at the close of each contributor
 * given (one with a share held the floor; one zeroed for its stake did not), and the receipts dated inside the
 * epoch's blocks.
 */
async function epochOnChain(
  chain: ChainView,
  file: { header: EpochHeader; anchor: AnchorJson | null | undefined; receipts: Receipt[] },
  contributors: string[],
  manifest: Manifest,
  v: Verdict,
  io: Io,
) {
  const { header: h, anchor } = file;
  if (anchor) {
    const expected = {
      kind: 'epoch' as const,
      subject: h.epoch,
      hash: canonicalHash(h),
      operator: manifest.operator,
      network: h.network,
    };
    const found = await anchorOnChain(chain, anchor, expected, { afterHeight: h.closeHeight });
    v.problems.push(...found.problems);
    if (found.height !== null) io.out(`anchor: transaction ${anchor.txId} in block ${found.height}`);
  }
  const minStake = epochParams(manifest)?.minStake ?? 0n;
  let unknown = 0;
  for (const contributor of contributors) {
    const state = await chain.validator(contributor);
    const stake = stakeAtClose(contributor, state, h.closeHeight, minStake);
    if (stake === 'unknown') unknown++;
    else if (h.zeroed[contributor]?.startsWith(STAKE_ZEROED)) {
      if (!stake)
        v.problems.push(
          `${contributor} was zeroed for its stake at the close, but the chain shows ${pac(state!.stake)} bonded since before block ${h.closeHeight}`,
        );
    } else if (stake && h.zeroed[contributor] === undefined) v.problems.push(stake);
  }
  if (unknown)
    v.unchecked.push(`the stake at the close of ${unknown} contributor(s) that bonded again since`);
  // A receipt is signed within the clock skew the bot allows of the moment it is served, inside the epoch's blocks
  // (heights start at 1: epoch 0 begins with block 1).
  let from: number, to: number;
  try {
    from = (await chain.blockTime(Math.max(1, h.startHeight))) * 1000 - RECEIPT_CLOCK_SKEW_MS - 60_000;
    to = (await chain.blockTime(h.closeHeight)) * 1000 + RECEIPT_CLOCK_SKEW_MS + 60_000;
  } catch (error) {
    throw new NodeUnreachable(`asked the times of the epoch's blocks: ${nodeProblem(error)}`);
  }
  for (const r of file.receipts)
    if (r.timestamp < from || r.timestamp > to)
      v.problems.push(
        `a receipt of ${r.contributor} was signed at ${new Date(r.timestamp).toISOString()}, outside epoch ${h.epoch}'s blocks`,
      );
}

/** Who a bundle's stake checks cover: everyone with a share, and everyone zeroed for their stake. */
const staked = (h: EpochHeader) => [
  ...new Set([
    ...Object.keys(h.shares),
    ...Object.entries(h.zeroed)
      .filter(([, why]) => why.startsWith(STAKE_ZEROED))
      .map(([c]) => c),
  ]),
];

/**
 * The spot checks in numbers, and what stays the operator's word: a due request listed as not re-run ("no other
 * contributor could re-run it") spares its contributor a check, and nothing in the bundle can show whether another
 * contributor was free then. Named per contributor, so a node spared often stands out.
 */
function spotSummary(h: EpochHeader, v: Verdict, io: Io) {
  const checks = h.spotChecks?.checks;
  if (!checks) return;
  const count = (outcome: string) => checks.filter((c) => c.outcome === outcome).length;
  io.out(
    `spot checks: ${checks.length} due, ${count('pass')} passed, ${count('fail')} failed, ${count('unresolved')} unresolved, ${count('unchecked')} not re-run`,
  );
  const spared = new Map<string, number>();
  for (const c of checks)
    if (c.outcome === 'unchecked') spared.set(c.contributor, (spared.get(c.contributor) ?? 0) + 1);
  if (spared.size)
    v.unchecked.push(
      `that no other contributor could re-run the due requests listed as not re-run (${[...spared]
        .map(([who, n]) => `${n} of ${who}`)
        .join(', ')})`,
    );
}

async function verifyBundleFile(
  bundle: EpochBundle,
  trust: Trust,
  node: string | undefined,
  io: Io,
  deps: Deps,
) {
  const v: Verdict = { problems: [], unchecked: [], notFinal: null };
  const record = namedDeployment(v, io, {
    ref: bundle.deployment,
    embedded: bundle.manifest ?? null,
    trust,
    height: bundle.startHeight,
    network: bundle.network,
  });
  if (!record) return v;
  const m = record.manifest;
  const checked = await withChecks(deps, (checks) => verifyEpochBundle(bundle, m, checks));
  v.problems.push(...checked.problems);
  if (checked.why) v.notFinal = checked.why;
  io.out(
    `epoch ${bundle.epoch}: blocks ${bundle.startHeight}-${bundle.endHeight - 1}, closed at ${bundle.closeHeight}, ${bundle.receipts.length} receipts, root ${bundle.root}`,
  );
  io.out(`budget ${pac(BigInt(bundle.budget))}`);
  for (const [contributor, share] of Object.entries(bundle.shares))
    io.out(`  ${contributor}: credit ${bundle.credits[contributor] ?? 0}, share ${pac(BigInt(share))}`);
  for (const [contributor, why] of Object.entries(bundle.zeroed))
    io.out(`  ${contributor}: no credit (${why})`);
  spotSummary(bundle, v, io);
  v.unchecked.push("why a contributor was zeroed (the spot checks are the operator's word)");
  // The counts are the bot's: the bundle holds no request or answer bytes to recount, so a count shaved below the
  // truth shows nowhere here (a receipt is never credited more than its contributor signed for). The contributor,
  // who has the bytes, can recount its own.
  if (bundle.counted)
    v.unchecked.push(
      "the bot's token counts (the bundle holds no request or answer bytes to recount them; no receipt is credited more than its contributor claimed)",
    );
  await withChain(node, deps, v, async (chain) => {
    if (!chain) return void v.unchecked.push(NO_NODE);
    const elsewhere = await wrongNetwork(chain, bundle.network);
    if (elsewhere) return void v.problems.push(elsewhere);
    v.problems.push(
      ...(await deploymentOnChain(chain, trust, record, bundle.network, bundle.startHeight)).problems,
    );
    const header = epochHeader(bundle) as EpochHeader;
    await epochOnChain(
      chain,
      { header, anchor: bundle.anchor, receipts: bundle.receipts },
      staked(header),
      m,
      v,
      io,
    );
  });
  return v;
}

async function verifyProofsFile(
  file: ContributorProofs,
  trust: Trust,
  node: string | undefined,
  io: Io,
  deps: Deps,
) {
  const v: Verdict = { problems: [], unchecked: [], notFinal: null };
  const h = file.header as unknown as EpochHeader;
  const record = namedDeployment(v, io, {
    ref: h.deployment,
    embedded: file.manifest ?? null,
    trust,
    height: h.startHeight,
    network: file.network,
  });
  if (!record) return v;
  const m = record.manifest;
  io.out(`epoch ${file.epoch}: ${file.receipts.length} receipts of ${file.contributor} in root ${file.root}`);
  io.out(
    file.zeroed
      ? `  no credit (${file.zeroed})`
      : `  credit ${file.credit}, share ${pac(BigInt(file.share))}`,
  );
  v.problems.push(...(await withChecks(deps, (checks) => verifyContributorProofs(file, m, checks))));
  spotSummary(h, v, io);
  v.unchecked.push("the other contributors' credits (verify the epoch's bundle for those)");
  if (!file.anchor) v.notFinal = 'the epoch is not anchored on chain yet';
  await withChain(node, deps, v, async (chain) => {
    if (!chain) return void v.unchecked.push(NO_NODE);
    const elsewhere = await wrongNetwork(chain, file.network);
    if (elsewhere) return void v.problems.push(elsewhere);
    v.problems.push(...(await deploymentOnChain(chain, trust, record, file.network, h.startHeight)).problems);
    const receipts = file.receipts.map((r) => r.receipt);
    await epochOnChain(
      chain,
      { header: h, anchor: file.anchor, receipts },
      staked(h).filter((c) => c === file.contributor),
      m,
      v,
      io,
    );
  });
  return v;
}

/**
 * `pactus-bot verify-epoch <file | url> --deployment <operator | manifest> [--node host:port]`. Given an epoch
 * bundle, re-checks the whole epoch under the deployment's manifest (reward per block, approved models, epoch
 * length): every receipt's signature, the root, each credit and share, and the operator's anchor of it all; with
 * --node, that the anchor is on chain after the close, that credited contributors were staked then, and that the
 * receipts are dated inside the epoch. Given a contributor's proofs file, checks its receipts are in the anchored
 * root. Exit 0 VERIFIED, 1 NOT VERIFIED, 2 NOT FINAL (not anchored yet).
 */
export async function runVerifyEpoch(args: string[], io: Io, deps: Deps = {}): Promise<number> {
  const run = await startRun(args, io, deps, {
    extra: [],
    missing:
      'an epoch bundle (<bot url>/compute/epochs/<n>/bundle.json) or your proofs file ("my proofs" in the chat)',
    source: (_values, file) => file,
  });
  if (typeof run === 'number') return run;
  const isProofs = (run.json as { kind?: unknown } | null)?.kind === PROOFS_KIND;
  const shape = isProofs
    ? readShape(proofsSchema, run.json, `the proofs file ${run.source}`)
    : readShape(epochBundleSchema, run.json, `the epoch bundle ${run.source}`);
  if (!shape.ok) return report(io, { problems: [shape.problem], unchecked: [], notFinal: null });
  try {
    return report(
      io,
      isProofs
        ? await verifyProofsFile(shape.value as unknown as ContributorProofs, run.trust, run.node, io, deps)
        : // The file as read, not as parsed: a field added to the format is hashed, so committed to, too.
          await verifyBundleFile(run.json as EpochBundle, run.trust, run.node, io, deps),
    );
  } catch (error) {
    return unreadable(io, error);
  }
}

export const verifyEpochCommand: Command = (args, io) => runVerifyEpoch(args, io);

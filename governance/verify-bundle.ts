// Re-verifies a result bundle from scratch under the deployment's manifest: the rules come from the manifest, never
// from the bundle. Everything the files alone can show is checked here; whether the anchors are in blocks, and
// when, and the snapshot against the chain's stake, are for the CLI with --node (bot/cli/verify-proposal.ts).
import { checkAnchorBytes } from '../deployment/anchors.js';
import type { Manifest } from '../deployment/manifest.js';
import { parseAddressFor } from '../pactus/address.js';
import { parsePublicKey } from '../pactus/keys.js';
import { verifyMessage } from '../pactus/message.js';
import type { Network } from '../pactus/network.js';
import { ballotLeaf, merkleRoot } from './ballot-tree.js';
import type { BundleOutcome, ResultBundle, SignatureJson } from './bundle.js';
import { finalHash, resultHash } from './commitments.js';
import { messageHash, parseBallotMessage, parseProposalMessage, parseVetoMessage } from './messages.js';
import { rulesFromJson, rulesHash, type RulesJson } from './rules.js';
import { snapshotHash } from './snapshot.js';
import { tally, type Tally } from './tally.js';
import { checkDelegations } from './verify-delegations.js';

/** Signature checks already made (a BLS pairing costs ~35 ms): key, signature and message -> valid. */
export type SignatureCache = Map<string, boolean>;

export interface Verification {
  problems: string[];
  tally: Tally | null;
  /** The outcome recomputed under the manifest's rules: "open" while voting runs. */
  outcome: BundleOutcome | null;
  /** final: the outcome stands and is anchored; open: voting runs; not_final: closed, its final result not anchored. */
  status: 'final' | 'open' | 'not_final';
  /** Why it is not final, in words. */
  why: string | null;
  /** The snapshot's delegations that hold up: delegating holders, and revocations. */
  delegations: { delegations: number; revocations: number };
}

/** The rules a proposal of this deployment must have committed to. */
export function rulesOfManifest(m: Manifest): RulesJson {
  const g = m.governance;
  return {
    proposeMin: g.proposeMin,
    voteMin: g.voteMin,
    ballotCap: g.ballotCap,
    quorumBps: g.quorumBps,
    teamKeys: g.teamKeys,
    vetoThreshold: g.vetoThreshold,
    vetoWindowMs: g.vetoWindowMs,
    operator: m.operator,
  };
}

function keyOwns(publicKey: string, address: string, network: Network): boolean {
  try {
    const key = parsePublicKey(publicKey).key;
    const parsed = parseAddressFor(address, network);
    return key.addressOfType(parsed.type)?.equals(parsed) ?? false;
  } catch {
    return false;
  }
}

/** Whether a signature of `message` is valid and made by the key that owns its address (checks kept in `cache`). */
export function checkSignature(
  message: string,
  s: SignatureJson,
  network: Network,
  cache?: SignatureCache,
): boolean {
  const id = `${network}\n${s.address}\n${s.publicKey}\n${s.signature}\n${message}`;
  const known = cache?.get(id);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    valid =
      keyOwns(s.publicKey, s.address, network) &&
      verifyMessage(parsePublicKey(s.publicKey).key, message, s.signature);
  } catch {
    valid = false;
  }
  cache?.set(id, valid);
  return valid;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Re-verifies a bundle: its rules are the manifest's, the proposal text read strictly (hashes and numbers from its
 * header only) commits to the snapshot (its stake and its delegations) and rules, every signature holds, each
 * delegation is its holder's own text made by the snapshot, the ballot set is its root, ballots are
 * dated inside the voting period, the proposer held enough power, vetoes are the manifest's team keys inside the
 * window, the tally and outcome recompute, and the anchors' bytes are the operator's and commit to this bundle.
 */
export function verifyBundle(
  bundle: ResultBundle,
  manifest: Manifest,
  now: number,
  cache?: SignatureCache,
): Verification {
  const problems: string[] = [];
  const network = bundle.network;
  const p = bundle.proposal;
  const expected = rulesOfManifest(manifest);
  for (const key of Object.keys(expected) as (keyof RulesJson)[])
    if (JSON.stringify(bundle.rules[key] ?? null) !== JSON.stringify(expected[key]))
      problems.push(
        `the proposal's rules say ${key} is ${JSON.stringify(bundle.rules[key] ?? null)}, the deployment's manifest (version ${manifest.version}) says ${JSON.stringify(expected[key])}`,
      );
  const rules = rulesFromJson(expected);

  const entries = bundle.snapshot.entries.map((e) => ({
    address: e.address,
    power: BigInt(e.power),
    validators: e.validators,
  }));
  const delegations = bundle.snapshot.delegations ?? [];
  if (snapshotHash(bundle.snapshot.height, entries, delegations) !== bundle.snapshot.hash)
    problems.push('the snapshot does not match its hash');
  const total = entries.reduce((s, e) => s + e.power, 0n);
  if (total.toString() !== bundle.snapshot.total) problems.push('the snapshot total does not add up');
  const power = new Map(entries.map((e) => [e.address, e.power]));

  if (messageHash(p.message) !== p.hash) problems.push('the proposal text does not match its hash');
  const header = parseProposalMessage(p.message);
  if (!header) problems.push('the proposal text is not a well-formed PIP-44 proposal');
  else {
    if (header.id !== p.id) problems.push('the proposal text names another proposal number');
    if (header.network !== network) problems.push('the proposal text is for another network');
    if (header.snapshotHeight !== bundle.snapshot.height || header.snapshotHash !== bundle.snapshot.hash)
      problems.push('the proposal does not commit to this snapshot');
    if (header.rulesHash !== rulesHash(bundle.rules))
      problems.push('the proposal does not commit to these rules');
    if (p.endsAt - p.startsAt !== header.durationMs)
      problems.push('the voting period differs from the signed one');
    const signers = p.signatures.map((s) => s.address).sort();
    if (JSON.stringify([...header.proposers].sort()) !== JSON.stringify(signers))
      problems.push('the proposal is signed by other addresses than it names');
  }
  const period = p.endsAt - p.startsAt;
  if (period < manifest.governance.minDurationMs || period > manifest.governance.maxDurationMs)
    problems.push(
      `the voting period (${period} ms) is outside the deployment's ${manifest.governance.minDurationMs}-${manifest.governance.maxDurationMs} ms`,
    );
  if (p.closedAt !== null && p.closedAt < p.endsAt)
    problems.push('the proposal closed before its voting ended');
  let proposerPower = 0n;
  for (const s of p.signatures) {
    if (!checkSignature(p.message, s, network, cache))
      problems.push(`proposal signature of ${s.address} is invalid`);
    else proposerPower += power.get(s.address) ?? 0n;
  }
  if (proposerPower < rules.proposeMin) problems.push('the proposer did not hold enough voting power');

  const root = merkleRoot(bundle.ballots.map(ballotLeaf));
  if (root !== p.ballotRoot || bundle.ballots.length !== p.ballotCount)
    problems.push('the ballots are not the committed ballot set (root or count differs)');

  const delegated = checkDelegations(delegations, {
    network,
    snapshotHeight: bundle.snapshot.height,
    power,
    proposal: header && { domain: header.domain, issuedAt: Date.parse(header.issued) },
    verify: (message, s) => checkSignature(message, s, network, cache),
  });
  problems.push(...delegated.problems);
  const delegationCounts = { delegations: delegated.delegations, revocations: delegated.revocations };

  const counted = [];
  for (const [i, b] of bundle.ballots.entries()) {
    const parsed = parseBallotMessage(b.message);
    if (!parsed) {
      problems.push(`ballot ${i + 1} is not a ballot`);
      continue;
    }
    if (parsed.proposalId !== p.id || parsed.proposalHash !== p.hash)
      problems.push(`ballot ${i + 1} is for another proposal`);
    const at = Date.parse(parsed.timestamp);
    if (!(at >= p.startsAt - 60_000 && at <= p.endsAt))
      problems.push(`ballot ${i + 1} is dated outside the voting period`);
    const signers: string[] = [];
    for (const s of b.signatures) {
      if (!parsed.addresses.includes(s.address))
        problems.push(`ballot ${i + 1} is signed by ${s.address}, which it does not list`);
      else if (!checkSignature(b.message, s, network, cache))
        problems.push(`ballot ${i + 1} signature of ${s.address} is invalid`);
      else signers.push(s.address);
    }
    counted.push({ choice: parsed.choice, order: i, addresses: signers });
  }
  const result = tally(counted, power, total, rules, delegated.delegates);
  for (const k of ['yes', 'no', 'abstain', 'cast', 'quorum'] as const)
    if (result[k].toString() !== bundle.result[k])
      problems.push(`the recomputed ${k} weight is ${result[k]}, the bundle says ${bundle.result[k]}`);
  if (result.outcome !== bundle.result.outcome)
    problems.push(
      `the recomputed tally outcome is ${result.outcome}, the bundle says ${bundle.result.outcome}`,
    );

  const operator = manifest.operator;
  const { result: resultAnchor, final: finalAnchor } = bundle.anchors;
  if (p.closedAt === null) {
    if (bundle.vetoes.length) problems.push('the bundle has vetoes on a proposal still open');
    if (resultAnchor || finalAnchor) problems.push('the bundle has an anchor on a proposal still open');
    if (bundle.outcome !== 'open')
      problems.push(`the bundle says ${bundle.outcome} for a proposal still open`);
    return {
      problems,
      tally: result,
      outcome: 'open',
      status: 'open',
      why: `voting is open until ${iso(p.endsAt)}`,
      delegations: delegationCounts,
    };
  }

  let outcome: BundleOutcome = result.outcome;
  if (bundle.vetoes.length && result.outcome !== 'passed')
    problems.push(`the bundle has vetoes on a proposal that did not pass (${result.outcome})`);
  else if (bundle.vetoes.length) {
    const valid = new Set<string>();
    for (const v of bundle.vetoes) {
      const parsed = parseVetoMessage(v.message);
      if (!parsed || parsed.proposalId !== p.id || parsed.proposalHash !== p.hash) {
        problems.push('a veto is not for this proposal');
        continue;
      }
      const issued = Date.parse(parsed.issued);
      if (!(issued >= p.closedAt - 60_000 && issued <= p.closedAt + rules.vetoWindowMs)) {
        problems.push('a veto is dated outside the veto window');
        continue;
      }
      for (const s of v.signatures) {
        if (!rules.teamKeys.includes(s.publicKey))
          problems.push(`veto signer ${s.address} is not a team key of the deployment`);
        else if (!checkSignature(v.message, s, network, cache))
          problems.push(`veto signature of ${s.address} is invalid`);
        else valid.add(s.publicKey);
      }
    }
    if (valid.size >= rules.vetoThreshold) outcome = 'vetoed';
  }
  if (outcome !== bundle.outcome)
    problems.push(`the recomputed outcome is ${outcome}, the bundle says ${bundle.outcome}`);

  const expectedAnchor = { subject: p.id, operator: operator, network };
  if (resultAnchor)
    problems.push(
      ...checkAnchorBytes(resultAnchor, { ...expectedAnchor, kind: 'result', hash: resultHash(bundle) }),
    );
  if (finalAnchor && result.outcome !== 'passed')
    problems.push(
      'the bundle has a final anchor, but only a passed proposal has one (its result anchor is final)',
    );
  else if (finalAnchor && !resultAnchor)
    problems.push('the bundle has a final anchor but not the result anchor it follows');
  else if (finalAnchor)
    problems.push(
      ...checkAnchorBytes(finalAnchor, { ...expectedAnchor, kind: 'final', hash: finalHash(bundle) }),
    );

  let why: string | null = null;
  if (result.outcome !== 'passed') {
    if (!resultAnchor) why = 'its result is not anchored on chain yet';
  } else if (!finalAnchor) {
    const windowEnds = p.closedAt + rules.vetoWindowMs;
    why =
      outcome === 'vetoed'
        ? 'it was vetoed, but that final result is not anchored on chain yet'
        : now < windowEnds
          ? `it passed, but the team may veto it until ${iso(windowEnds)}`
          : 'it passed and its veto window has ended, but that final result is not anchored on chain yet';
  }
  return {
    problems,
    tally: result,
    outcome,
    status: why ? 'not_final' : 'final',
    why,
    delegations: delegationCounts,
  };
}

/** When each anchor may have been made at the earliest: what --node checks against the blocks they are in. */
export function anchorBounds(bundle: ResultBundle, manifest: Manifest, outcome: BundleOutcome | null) {
  const p = bundle.proposal;
  const closed = p.closedAt ?? p.endsAt;
  return {
    result: { afterHeight: bundle.snapshot.height, notBeforeMs: p.endsAt },
    final: {
      afterHeight: bundle.snapshot.height,
      notBeforeMs: outcome === 'vetoed' ? closed : closed + manifest.governance.vetoWindowMs,
    },
  };
}

// The result bundle: everything needed to re-check a proposal without the bot's database, and its verifier.
import { parseAddressFor } from '../pactus/address.js';
import { parsePublicKey } from '../pactus/keys.js';
import { verifyMessage } from '../pactus/message.js';
import type { Network } from '../pactus/network.js';
import type { ballots, proposals, snapshotEntries, vetoSignatures } from '../db/schema.js';
import { ballotLeaf, merkleRoot } from './ballot-tree.js';
import { messageHash, parseBallotMessage, parseProposalMessage, parseVetoMessage } from './messages.js';
import { checkAnchor, type AnchorJson } from './receipts.js';
import { rulesFromJson, rulesHash, type RulesJson } from './rules.js';
import { snapshotHash } from './snapshot.js';
import { tally, type Tally } from './tally.js';

export interface SignatureJson {
  address: string;
  publicKey: string;
  signature: string;
}

export const BUNDLE_FORMAT = 'pactus-dao-result/2';

export interface ResultBundle {
  format: typeof BUNDLE_FORMAT;
  network: Network;
  rules: RulesJson;
  proposal: {
    id: number;
    message: string;
    hash: string;
    signatures: SignatureJson[];
    startsAt: number;
    endsAt: number;
    closedAt: number | null;
    /** The Merkle root and size of the ballot set below (in accepted order). */
    ballotRoot: string;
    ballotCount: number;
  };
  snapshot: {
    height: number;
    hash: string;
    total: string;
    entries: { address: string; power: string; validators: string[] }[];
  };
  /** In the order the server accepted them: an address's latest ballot counts. */
  ballots: { message: string; signatures: SignatureJson[] }[];
  vetoes: { message: string; signatures: SignatureJson[] }[];
  /** The operator's on-chain record of the final ballot set, once it is confirmed. */
  anchor: AnchorJson | null;
  result: { yes: string; no: string; abstain: string; cast: string; quorum: string; outcome: string };
}

export interface Verification {
  ok: boolean;
  problems: string[];
  tally: Tally | null;
  outcome: string | null;
}

export function tallyToJson(t: Tally, outcome: string): ResultBundle['result'] {
  return {
    yes: t.yes.toString(),
    no: t.no.toString(),
    abstain: t.abstain.toString(),
    cast: t.cast.toString(),
    quorum: t.quorum.toString(),
    outcome,
  };
}

/** The bundle of a proposal from its rows. */
export function buildBundle(input: {
  proposal: typeof proposals.$inferSelect;
  entries: (typeof snapshotEntries.$inferSelect)[];
  ballots: (typeof ballots.$inferSelect)[];
  vetoes: (typeof vetoSignatures.$inferSelect)[];
  result: Tally;
  anchor: AnchorJson | null;
}): ResultBundle {
  const p = input.proposal;
  const byMessage = new Map<string, SignatureJson[]>();
  for (const v of input.vetoes)
    byMessage.set(v.message, [
      ...(byMessage.get(v.message) ?? []),
      { address: v.address, publicKey: v.publicKey, signature: v.signature },
    ]);
  const ballotList = input.ballots.map((b) => ({ message: b.message, signatures: b.signatures }));
  return {
    format: BUNDLE_FORMAT,
    network: p.network,
    rules: p.rules as unknown as RulesJson,
    proposal: {
      id: p.id,
      message: p.message,
      hash: p.hash,
      signatures: p.signatures ?? [],
      startsAt: p.startsAt!,
      endsAt: p.endsAt!,
      closedAt: p.closedAt,
      ballotRoot: merkleRoot(ballotList.map(ballotLeaf)),
      ballotCount: ballotList.length,
    },
    snapshot: {
      height: p.snapshotHeight,
      hash: p.snapshotHash,
      total: p.totalPower.toString(),
      entries: [...input.entries]
        .sort((a, b) => (a.address < b.address ? -1 : 1))
        .map((e) => ({ address: e.address, power: e.power.toString(), validators: e.validators })),
    },
    ballots: ballotList,
    vetoes: [...byMessage.entries()].map(([message, signatures]) => ({ message, signatures })),
    anchor: input.anchor,
    result: tallyToJson(input.result, p.outcome ?? input.result.outcome),
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

function checkSignature(message: string, s: SignatureJson, network: Network): boolean {
  if (!keyOwns(s.publicKey, s.address, network)) return false;
  try {
    return verifyMessage(parsePublicKey(s.publicKey).key, message, s.signature);
  } catch {
    return false;
  }
}

/**
 * Re-verifies a bundle from scratch: the proposal text read strictly (hashes and numbers from its header only),
 * the snapshot and rules it commits to, every signature, the ballot set against its root and the on-chain anchor,
 * ballot times inside the voting period, the proposer's power, vetoes under the proposal's own rules, and the
 * outcome.
 */
export function verifyBundle(bundle: ResultBundle): Verification {
  const problems: string[] = [];
  const network = bundle.network;
  const rules = rulesFromJson(bundle.rules);
  const p = bundle.proposal;

  const entries = bundle.snapshot.entries.map((e) => ({
    address: e.address,
    power: BigInt(e.power),
    validators: e.validators,
  }));
  if (snapshotHash(bundle.snapshot.height, entries) !== bundle.snapshot.hash)
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
  if (p.closedAt !== null && p.closedAt < p.endsAt)
    problems.push('the proposal closed before its voting ended');
  let proposerPower = 0n;
  for (const s of p.signatures) {
    if (!checkSignature(p.message, s, network))
      problems.push(`proposal signature of ${s.address} is invalid`);
    else proposerPower += power.get(s.address) ?? 0n;
  }
  if (proposerPower < rules.proposeMin) problems.push('the proposer did not hold enough voting power');

  const root = merkleRoot(bundle.ballots.map(ballotLeaf));
  if (root !== p.ballotRoot || bundle.ballots.length !== p.ballotCount)
    problems.push('the ballots are not the committed ballot set (root or count differs)');
  if (bundle.anchor)
    problems.push(
      ...checkAnchor(bundle.anchor, {
        proposalId: p.id,
        ballots: bundle.ballots.length,
        root,
        operator: rules.operator,
        network,
      }),
    );
  else if (rules.operator && p.closedAt !== null)
    problems.push('the result is not anchored on chain yet (no anchor transaction in the bundle)');

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
      else if (!checkSignature(b.message, s, network))
        problems.push(`ballot ${i + 1} signature of ${s.address} is invalid`);
      else signers.push(s.address);
    }
    counted.push({ choice: parsed.choice, order: i, addresses: signers });
  }
  const result = tally(counted, power, total, rules);
  let outcome: string = result.outcome;

  if (bundle.vetoes.length) {
    const valid = new Set<string>();
    for (const v of bundle.vetoes) {
      const parsed = parseVetoMessage(v.message);
      if (!parsed || parsed.proposalId !== p.id || parsed.proposalHash !== p.hash) {
        problems.push('a veto is not for this proposal');
        continue;
      }
      const issued = Date.parse(parsed.issued);
      if (
        p.closedAt === null ||
        !(issued >= p.closedAt - 60_000 && issued <= p.closedAt + rules.vetoWindowMs)
      ) {
        problems.push('a veto is dated outside the veto window');
        continue;
      }
      for (const s of v.signatures) {
        const team = rules.teamKeys.includes(s.publicKey);
        if (!team) problems.push(`veto signer ${s.address} is not a team key`);
        else if (!checkSignature(v.message, s, network))
          problems.push(`veto signature of ${s.address} is invalid`);
        else valid.add(s.publicKey);
      }
    }
    if (valid.size >= rules.vetoThreshold && result.outcome === 'passed') outcome = 'vetoed';
  }
  if (outcome !== bundle.result.outcome)
    problems.push(`the recomputed outcome is ${outcome}, the bundle says ${bundle.result.outcome}`);
  for (const k of ['yes', 'no', 'abstain', 'cast'] as const)
    if (result[k].toString() !== bundle.result[k])
      problems.push(`the recomputed ${k} weight is ${result[k]}, the bundle says ${bundle.result[k]}`);
  return { ok: problems.length === 0, problems, tally: result, outcome };
}

// Result bundles with delegations, made offline and signed for real (Ed25519 holders, so signing and verifying cost
// microseconds): the proposal, every ballot and every delegation are signed by their own keys, the tally is the
// bot's own, so a test can change one thing (one delegation, one rule) and rebuild everything else consistently.
import { buildBundle, type ResultBundle } from '../../governance/bundle.js';
import { delegatesOfSnapshot, type SnapshotDelegation } from '../../governance/delegation.js';
import { delegationMessage, type DelegationText } from '../../governance/delegation-messages.js';
import { ballotMessage, messageHash, proposalMessage, type Choice } from '../../governance/messages.js';
import { rulesFromJson, rulesHash } from '../../governance/rules.js';
import { finalizeSnapshot } from '../../governance/snapshot.js';
import { tally } from '../../governance/tally.js';
import { rulesOfManifest } from '../../governance/verify-bundle.js';
import type { Manifest } from '../../deployment/manifest.js';
import { PrivateKey, signMessage } from '../../pactus/index.js';
import { anchoredRecord, operatorKey, testManifest } from './deployment.js';

export const PAC = 1_000_000_000n;
export const DOMAIN = 'bot.example';
export const SNAPSHOT_HEIGHT = 100;
/** When voting starts; the proposal was issued (and its snapshot taken) a second before. */
export const STARTS_AT = Date.parse('2026-03-01T12:00:00.000Z');
export const PROPOSAL_ISSUED = STARTS_AT - 1000;
const PERIOD = 3_600_000;

const keys = new Map<number, PrivateKey>();
const addresses = new WeakMap<PrivateKey, string>();

/** Holders below 255 have one-byte seeds; more (a bench's thousands of voters) carry the index in theirs. */
function seedOf(i: number): Uint8Array {
  if (i < 255) return new Uint8Array(32).fill(i + 1);
  const seed = new Uint8Array(32).fill(0xff);
  new DataView(seed.buffer).setUint32(0, i);
  return seed;
}

/** Ed25519 account keys: holder i is `holderKey(i)` (made once). */
export function holderKey(i: number): PrivateKey {
  let key = keys.get(i);
  if (!key) keys.set(i, (key = PrivateKey.fromBytes('ed25519', seedOf(i))));
  return key;
}

export function addressOf(key: PrivateKey): string {
  let address = addresses.get(key);
  if (!address) addresses.set(key, (address = key.publicKey().accountAddress().toString('testnet')));
  return address;
}

export const operator = operatorKey(99);
export const manifest: Manifest = testManifest(operator);
const record = anchoredRecord(operator, manifest, 1);

/** A delegation or revocation text signed by `key` (its holder), with defaults made before the snapshot. */
export function signedDelegation(
  key: PrivateKey,
  text: Partial<DelegationText> & Pick<DelegationText, 'kind'>,
): SnapshotDelegation {
  const message = delegationMessage({
    domain: DOMAIN,
    from: [addressOf(key)],
    delegate: null,
    height: SNAPSHOT_HEIGHT - 10,
    issued: new Date(STARTS_AT - 600_000).toISOString(),
    nonce: '00112233445566778899aabbccddeeff',
    ...text,
  });
  return {
    message,
    signature: {
      address: addressOf(key),
      publicKey: key.publicKey().toString('testnet'),
      signature: signMessage(key, message),
    },
  };
}

export interface Scenario {
  /** Snapshot power of holder i (0: not in the snapshot). Holder 0 proposes. */
  power: bigint[];
  delegations: SnapshotDelegation[];
  /** In accepted order: which holders sign, and how. */
  ballots: { signers: number[]; choice: Choice }[];
  manifest?: Manifest;
}

/** The bundle of a closed proposal (not anchored: verifyBundle says "not final", with no problems when honest). */
export function scenarioBundle(s: Scenario): ResultBundle {
  const m = s.manifest ?? manifest;
  const keys = s.power.map((_, i) => holderKey(i));
  const entries = keys
    .map((k, i) => ({ address: addressOf(k), power: s.power[i]!, validators: [addressOf(k)] }))
    .filter((e) => e.power > 0n);
  const snapshot = finalizeSnapshot(SNAPSHOT_HEIGHT, entries, s.delegations);
  const rules = rulesOfManifest(m);
  const message = proposalMessage({
    domain: DOMAIN,
    network: 'testnet',
    id: 1,
    title: 'Delegation test',
    body: 'Body',
    durationMs: PERIOD,
    snapshotHeight: SNAPSHOT_HEIGHT,
    snapshotHash: snapshot.hash,
    rulesHash: rulesHash(rules),
    proposers: [addressOf(keys[0]!)],
    nonce: '0123456789abcdef',
    issued: new Date(PROPOSAL_ISSUED).toISOString(),
  });
  const hash = messageHash(message);
  const ballots = s.ballots.map((b, i) => {
    const text = ballotMessage({
      domain: DOMAIN,
      proposalId: 1,
      proposalHash: hash,
      choice: b.choice,
      addresses: b.signers.map((n) => addressOf(keys[n]!)),
      timestamp: new Date(STARTS_AT + 1000 * (i + 1)).toISOString(),
      nonce: `${String(i).padStart(4, '0')}456789abcdef`,
    });
    return {
      message: text,
      choice: b.choice,
      signatures: b.signers.map((n) => ({
        address: addressOf(keys[n]!),
        publicKey: keys[n]!.publicKey().toString('testnet'),
        signature: signMessage(keys[n]!, text),
      })),
    };
  });
  const result = tally(
    ballots.map((b, i) => ({ choice: b.choice, order: i, addresses: b.signatures.map((x) => x.address) })),
    new Map(snapshot.entries.map((e) => [e.address, e.power])),
    snapshot.total,
    rulesFromJson(rules),
    delegatesOfSnapshot(snapshot.delegations),
  );
  return buildBundle({
    proposal: {
      id: 1,
      network: 'testnet',
      message,
      hash,
      rules,
      status: 'closed',
      outcome: result.outcome,
      startsAt: STARTS_AT,
      endsAt: STARTS_AT + PERIOD,
      closedAt: STARTS_AT + PERIOD,
      snapshotHeight: SNAPSHOT_HEIGHT,
      snapshotHash: snapshot.hash,
      totalPower: snapshot.total,
      signatures: [
        {
          address: addressOf(keys[0]!),
          publicKey: keys[0]!.publicKey().toString('testnet'),
          signature: signMessage(keys[0]!, message),
        },
      ],
    } as unknown as Parameters<typeof buildBundle>[0]['proposal'],
    entries: snapshot.entries.map((e) => ({ proposalId: 1, ...e })),
    delegations: snapshot.delegations,
    ballots: ballots as unknown as Parameters<typeof buildBundle>[0]['ballots'],
    vetoes: [],
    result,
    anchors: { result: null, final: null },
    deployment: record,
  });
}

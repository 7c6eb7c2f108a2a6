// Anchors: a deployment's operator signs a 0-PAC transaction to itself whose memo commits to a hash. PIP-50's state
// anchor is their future home (a root, a manifest URI and a type tag); until a node implements it, the memo carries
// the type tag, the subject and the root in at most 64 bytes: "pip44<tag>:<subject>:<hash, base64url>".
//   m  a version of the deployment's manifest (subject: the version)
//   r  a proposal's result when voting closed (subject: the proposal)
//   f  a passed proposal's final result, once vetoed or its veto window ended (subject: the proposal)
//   e  a compute epoch's books (subject: the epoch)
// What each hash covers is in governance/commitments.ts and compute/epoch.ts.
import { base64urlnopad } from '@scure/base';
import { bytesToHex, tryHexToBytes } from '../pactus/bytes.js';
import type { Network } from '../pactus/network.js';
import {
  MAX_MEMO_BYTES,
  PayloadType,
  decodeTransactionHex,
  signerOf,
  transactionId,
  verifyTransaction,
  type Transaction,
} from '../pactus/tx.js';

/** An anchor as a bundle carries it: the operator's signed bytes (checkable offline) and the block, once known. */
export interface AnchorJson {
  txId: string;
  signedTx: string;
  height: number | null;
}

export type AnchorKind = 'manifest' | 'result' | 'final' | 'epoch';

const TAGS: Record<AnchorKind, string> = { manifest: 'm', result: 'r', final: 'f', epoch: 'e' };
const KINDS = Object.fromEntries(Object.entries(TAGS).map(([k, t]) => [t, k])) as Record<string, AnchorKind>;
const MEMO = /^pip44([mrfe]):(\d{1,9}):([A-Za-z0-9_-]{43})$/;

/** Words for messages: "the manifest anchor", "the result anchor". */
export const ANCHOR_NAMES: Record<AnchorKind, string> = {
  manifest: 'manifest anchor',
  result: 'result anchor',
  final: 'final anchor',
  epoch: 'epoch anchor',
};

export function anchorMemo(kind: AnchorKind, subject: number, hash: string): string {
  const bytes = tryHexToBytes(hash);
  if (!bytes || bytes.length !== 32) throw new RangeError('an anchor commits to a 32-byte hash');
  if (!Number.isSafeInteger(subject) || subject < 0 || subject > 999_999_999)
    throw new RangeError('an anchor subject is a number of at most 9 digits');
  const memo = `pip44${TAGS[kind]}:${subject}:${base64urlnopad.encode(bytes)}`;
  if (memo.length > MAX_MEMO_BYTES) throw new RangeError('anchor memo longer than a memo may be');
  return memo;
}

export function parseAnchorMemo(memo: string): { kind: AnchorKind; subject: number; hash: string } | null {
  const m = MEMO.exec(memo);
  if (!m) return null;
  try {
    const bytes = base64urlnopad.decode(m[3]!);
    // Only the canonical encoding: 43 characters decode to 32 bytes, and re-encode to the same text.
    if (bytes.length !== 32 || base64urlnopad.encode(bytes) !== m[3]) return null;
    return { kind: KINDS[m[1]!]!, subject: Number(m[2]), hash: bytesToHex(bytes) };
  } catch {
    return null;
  }
}

export interface ExpectedAnchor {
  kind: AnchorKind;
  subject: number;
  hash: string;
  /** The deployment's operator: the only account whose anchors count. */
  operator: string;
  network: Network;
}

/**
 * Signed bytes read once: decoding a BLS key and checking a signature cost milliseconds, and a verifier meets the same
 * anchor in a bundle, its manifest and its receipts. Keyed by the exact bytes, so nothing else can hit an entry.
 */
const read = new Map<string, { tx: Transaction; valid: boolean } | null>();

function readSigned(signedTx: string): { tx: Transaction; valid: boolean } | null {
  let found = read.get(signedTx);
  if (found === undefined) {
    try {
      const tx = decodeTransactionHex(signedTx);
      found = { tx, valid: verifyTransaction(tx).valid };
    } catch {
      found = null;
    }
    if (read.size >= 1024) read.delete(read.keys().next().value!);
    read.set(signedTx, found);
  }
  return found;
}

/**
 * What an anchor's own bytes prove, without a node: a transaction validly signed by the operator (a 0-PAC transfer
 * to itself) whose memo commits to the expected kind, subject and hash. Problems in words; empty when it holds.
 * Whether it is in a block, and which, is for the chain to say (bot/cli/anchor-on-chain.ts).
 */
export function checkAnchorBytes(anchor: AnchorJson, expected: ExpectedAnchor): string[] {
  const name = `the ${ANCHOR_NAMES[expected.kind]}`;
  const signed = readSigned(anchor.signedTx);
  if (!signed) return [`${name} is not a transaction (its bytes do not decode)`];
  const { tx } = signed;
  const problems: string[] = [];
  if (transactionId(tx) !== anchor.txId) problems.push(`${name}'s transaction ID does not match its bytes`);
  if (!signed.valid) problems.push(`${name} is not validly signed`);
  const signer = signerOf(tx.payload).toString(expected.network);
  if (signer !== expected.operator)
    problems.push(`${name} was signed by ${signer}, not by the deployment's operator ${expected.operator}`);
  else if (
    tx.payload.type !== PayloadType.Transfer ||
    tx.payload.amount !== 0n ||
    !tx.payload.to.equals(tx.payload.from)
  )
    problems.push(`${name} is not the operator's 0-PAC transaction to itself`);
  problems.push(...memoProblems(tx.memo, expected));
  return problems;
}

/** Whether a memo commits to the expected kind, subject and hash; problems in words. */
export function memoProblems(memo: string, expected: Omit<ExpectedAnchor, 'operator' | 'network'>): string[] {
  const name = `the ${ANCHOR_NAMES[expected.kind]}`;
  const parsed = parseAnchorMemo(memo);
  if (!parsed) return [`${name}'s memo "${memo.slice(0, 64)}" is not a PIP-44 anchor`];
  if (parsed.kind !== expected.kind) return [`${name}'s memo is a ${ANCHOR_NAMES[parsed.kind]}`];
  if (parsed.subject !== expected.subject)
    return [`${name} is for number ${parsed.subject}, not ${expected.subject}`];
  if (parsed.hash !== expected.hash)
    return [
      `${name} commits to ${parsed.hash}, but this file hashes to ${expected.hash}: it is not what was anchored`,
    ];
  return [];
}

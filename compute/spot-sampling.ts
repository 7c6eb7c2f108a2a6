// Which requests are spot-checked, decided so that no contributor can tell: every request is sent the same way
// (router.ts), and whether one is re-run is decided after its answer and signed receipt are in, from a secret seed
// per epoch. The bot commits to the seed when the epoch opens (its hash goes out with every request and is signed
// into every receipt), and reveals it in the closed epoch's bundle, so anyone can recompute exactly which requests
// were due and check that each was checked and no other was.
import { randomBytes } from 'node:crypto';
import { bytesToHex, concatBytes, hash256, tryHexToBytes } from '../pactus/bytes.js';
import type { SpotCheckOutcome } from '../db/schema.js';
import type { Receipt } from './receipt.js';
import { receiptLeaf } from './receipt.js';

/** The header every request of an epoch carries: the seed's commitment, the same on all of them. */
export const COMMITMENT_HEADER = 'x-pactus-seed-commitment';

export function newSeed(): string {
  return bytesToHex(randomBytes(32));
}

const bytes = (hex: string) => tryHexToBytes(hex) ?? new Uint8Array(0);

/** BLAKE2b-256 of the seed's 32 bytes. */
export const seedCommitment = (seed: string) => bytesToHex(hash256(bytes(seed)));

/** Rates are published in parts per million: whole numbers, which hash and compare the same in every language. */
export const PPM = 1_000_000;
export const ratePpm = (rate: number) => Math.round(rate * PPM);

/**
 * Whether the request with this hash is due for a re-run: the first 53 bits of BLAKE2b-256(seed || request hash),
 * as a fraction of 2^53, below the rate in parts per million. Compared in integers (x * 10^6 < ppm * 2^53), so every
 * implementation agrees.
 */
export function isDue(seed: string, requestHash: string, ppm: number): boolean {
  const h = hash256(concatBytes(bytes(seed), bytes(requestHash)));
  let x = 0n;
  for (let i = 0; i < 7; i++) x = (x << 8n) | BigInt(h[i]!);
  return (x >> 3n) * BigInt(PPM) < BigInt(ppm) << 53n;
}

/** A due request and what came of it: the receipt checked, the other contributors' re-runs, the verdict. */
export interface SpotCheckRecord {
  request: string;
  leaf: string;
  contributor: string;
  reruns: string[];
  outcome: SpotCheckOutcome;
  /** The contributor whose answer differed from two others (zeroed for the epoch), when one did. */
  failed: string | null;
  detail: string;
}

/** An epoch's spot checks as published in its bundle. */
export interface SpotChecks {
  /** The share of requests re-run, in parts per million (the deployment's manifest says which). */
  ratePpm: number;
  commitment: string;
  /** Revealed at the close; kept secret until then. */
  seed: string;
  checks: SpotCheckRecord[];
}

/**
 * What does not hold about an epoch's spot checks (empty when all does): the seed opens the commitment, every
 * receipt was signed under that commitment, every due request was checked (or says why it could not be), no request
 * that was not due was checked (the bot cannot single a contributor out), re-runs are other contributors' answers
 * to the same request, and a failed contributor is zeroed.
 */
export function spotCheckProblems(
  receipts: Receipt[],
  spot: SpotChecks,
  zeroed: Record<string, string>,
): string[] {
  const problems: string[] = [];
  if (seedCommitment(spot.seed) !== spot.commitment)
    problems.push('the revealed spot-check seed does not open its commitment');
  if (!(Number.isSafeInteger(spot.ratePpm) && spot.ratePpm >= 0 && spot.ratePpm <= PPM))
    problems.push(`the spot-check rate ${spot.ratePpm} ppm is not within 0-${PPM}`);
  const byLeaf = new Map(receipts.map((r) => [receiptLeaf(r), r]));
  const checks = new Map(spot.checks.map((c) => [c.leaf, c]));
  const reruns = new Set(spot.checks.flatMap((c) => c.reruns));
  const short = (leaf: string) => `${leaf.slice(0, 16)}…`;
  for (const [leaf, r] of byLeaf) {
    if (r.commitment !== spot.commitment)
      problems.push(`receipt ${short(leaf)} was not signed under the epoch's seed commitment`);
    if (reruns.has(leaf)) continue;
    const due = isDue(spot.seed, r.requestHash, spot.ratePpm);
    if (due && !checks.has(leaf))
      problems.push(`receipt ${short(leaf)} was due for a spot check and has none`);
    if (!due && checks.has(leaf)) problems.push(`receipt ${short(leaf)} was checked without being due`);
  }
  for (const check of spot.checks) {
    const original = byLeaf.get(check.leaf);
    if (!original) {
      problems.push(`spot check of ${short(check.leaf)}: no such receipt`);
      continue;
    }
    if (original.requestHash !== check.request || original.contributor !== check.contributor)
      problems.push(`spot check of ${short(check.leaf)}: names another request or contributor`);
    for (const leaf of check.reruns) {
      const rerun = byLeaf.get(leaf);
      if (!rerun || rerun.requestHash !== check.request || rerun.contributor === check.contributor)
        problems.push(
          `spot check of ${short(check.leaf)}: re-run ${short(leaf)} is not another node's answer`,
        );
    }
    if (check.failed && zeroed[check.failed] === undefined)
      problems.push(`spot check of ${short(check.leaf)}: ${check.failed} failed it but is not zeroed`);
  }
  return problems;
}

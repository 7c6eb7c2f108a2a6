// Which requests are spot-checked, decided so that no contributor can tell: every request is sent the same way
// (router.ts), and whether one is re-run is decided after its answer and signed receipt are in, from a secret seed
// per epoch. The bot commits to the seed when the epoch opens (its hash goes out with every request and is signed
// into every receipt), and reveals it in the closed epoch's bundle, so anyone can recompute exactly which requests
// were due and check that each was checked and no other was.
import { randomBytes } from 'node:crypto';
import { bytesToHex, concatBytes, hash256, tryHexToBytes } from '../pactus/bytes.js';
import type { SpotCheckOutcome } from '../db/schema.js';
import { DIFFERED } from './spot-checks.js';
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
 * Whether the answer whose receipt has this leaf is due for a re-run: the first 53 bits of BLAKE2b-256(seed ||
 * leaf), as a fraction of 2^53, below the rate in parts per million. Compared in integers (x * 10^6 < ppm * 2^53),
 * so every implementation agrees.
 *
 * Keyed by the leaf (the hash of the contributor's signed receipt: its answer, its time, its signature), not by the
 * request: the bot writes every request (its sampling seed is the bot's random number), so an operator holding the
 * epoch's seed could redraw a request until it came out due or not as it wished before sending it, sparing a
 * friend every check or checking a rival on every answer (test/unit/compute/draw-grinding.test.ts). Nobody knows a
 * leaf before the answer exists, the operator cannot respell it (receipt.ts), and the contributor, not knowing the
 * seed, cannot aim it.
 */
export function isDue(seed: string, key: string, ppm: number): boolean {
  const h = hash256(concatBytes(bytes(seed), bytes(key)));
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

/** How many re-runs each outcome has (compute/spot-checks.ts): what a check of that outcome can look like. */
const RERUNS: Record<SpotCheckOutcome, number[]> = {
  unchecked: [0],
  pass: [1],
  unresolved: [1, 2, 3],
  fail: [2, 3],
};

const short = (leaf: string) => `${leaf.slice(0, 16)}…`;
const nameOf = (check: SpotCheckRecord) => `spot check of ${short(check.leaf)}`;

/**
 * What the spot checks show without the receipts (a contributor's proofs file carries only its own): the seed opens
 * the commitment, the rate is a rate, each request is checked once, each check has the shape spot-checks.ts gives
 * it (a known outcome with its number of re-runs, and blame only on a failure: the checked contributor when the two
 * re-runs agree against it), a blamed contributor is zeroed, and nobody is zeroed for a spot check no check blames
 * it for. Problems in words.
 */
export function spotHeaderProblems(spot: SpotChecks, zeroed: Record<string, string>): string[] {
  const problems: string[] = [];
  if (seedCommitment(spot.seed) !== spot.commitment)
    problems.push('the revealed spot-check seed does not open its commitment');
  if (!(Number.isSafeInteger(spot.ratePpm) && spot.ratePpm >= 0 && spot.ratePpm <= PPM))
    problems.push(`the spot-check rate ${spot.ratePpm} ppm is not within 0-${PPM}`);
  if (new Set(spot.checks.map((c) => c.leaf)).size !== spot.checks.length)
    problems.push('a request is listed as checked more than once');
  for (const check of spot.checks) {
    const name = nameOf(check);
    const counts = Object.hasOwn(RERUNS, check.outcome) ? RERUNS[check.outcome] : null;
    if (!counts) problems.push(`${name}: "${check.outcome}" is not an outcome a spot check has`);
    else if (!counts.includes(check.reruns.length))
      problems.push(`${name}: a "${check.outcome}" check with ${check.reruns.length} re-run(s)`);
    if (check.outcome === 'fail' ? check.failed === null : check.failed !== null)
      problems.push(
        `${name}: ${check.failed === null ? 'a failure that blames nobody' : 'it blames someone without failing'}`,
      );
    else if (check.outcome === 'fail' && check.reruns.length === 2 && check.failed !== check.contributor)
      problems.push(
        `${name}: it blames ${check.failed}, but its two re-runs agree against ${check.contributor}`,
      );
    if (check.failed && zeroed[check.failed] === undefined)
      problems.push(`${name}: ${check.failed} failed it but is not zeroed`);
  }
  const blamed = new Set(spot.checks.map((c) => c.failed));
  for (const [contributor, why] of Object.entries(zeroed))
    if (why === DIFFERED && !blamed.has(contributor))
      problems.push(`${contributor} is zeroed for a spot check, but no check blames it`);
  return problems;
}

/**
 * What the spot checks show about these receipts: each was signed under the epoch's commitment, each that is not a
 * re-run was checked exactly when it was due (the bot cannot single a contributor out, nor spare one), and each
 * check names its receipt's request and contributor. With `whole` (every receipt of the epoch is here), also that
 * each check's receipt exists and its re-runs are answers to the same request by distinct other contributors, the
 * first of whom a three-re-run failure blames.
 */
export function spotReceiptProblems(receipts: Receipt[], spot: SpotChecks, whole: boolean): string[] {
  const problems: string[] = [];
  const byLeaf = new Map(receipts.map((r) => [receiptLeaf(r), r]));
  const checks = new Map(spot.checks.map((c) => [c.leaf, c]));
  const reruns = new Set(spot.checks.flatMap((c) => c.reruns));
  for (const [leaf, r] of byLeaf) {
    if (r.commitment !== spot.commitment)
      problems.push(`receipt ${short(leaf)} was not signed under the epoch's seed commitment`);
    if (reruns.has(leaf)) continue;
    const due = isDue(spot.seed, leaf, spot.ratePpm);
    if (due && !checks.has(leaf))
      problems.push(`receipt ${short(leaf)} was due for a spot check and has none`);
    if (!due && checks.has(leaf)) problems.push(`receipt ${short(leaf)} was checked without being due`);
  }
  for (const check of spot.checks) {
    const name = nameOf(check);
    const original = byLeaf.get(check.leaf);
    if (!original) {
      if (whole) problems.push(`${name}: no such receipt`);
      continue;
    }
    if (original.requestHash !== check.request || original.contributor !== check.contributor)
      problems.push(`${name}: names another request or contributor`);
    if (!whole) continue;
    const runners = check.reruns.map((leaf) => {
      const rerun = byLeaf.get(leaf);
      if (!rerun || rerun.requestHash !== check.request || rerun.contributor === check.contributor)
        problems.push(`${name}: re-run ${short(leaf)} is not another node's answer`);
      return rerun?.contributor;
    });
    if (new Set(runners).size !== runners.length)
      problems.push(`${name}: two of its re-runs are by one contributor`);
    if (check.outcome === 'fail' && check.reruns.length === 3 && check.failed !== runners[0])
      problems.push(
        `${name}: it blames ${check.failed}, but its answers single out the first re-run's ${runners[0] ?? 'contributor'}`,
      );
  }
  return problems;
}

/** Everything about an epoch's spot checks, given all its receipts (see the two above). */
export const spotCheckProblems = (
  receipts: Receipt[],
  spot: SpotChecks,
  zeroed: Record<string, string>,
): string[] => [...spotHeaderProblems(spot, zeroed), ...spotReceiptProblems(receipts, spot, true)];

// Valid Pactus addresses that share exactly k leading and m trailing characters of their random part (the 38
// characters after "<hrp>1<type>") with a target: what an address poisoner finds by trying ~2^(5(k+m)) keys, made
// here in microseconds. The trailing characters include the 6-character bech32m checksum, which an attacker cannot
// choose (it follows from the key's hash) but a test can: the checksum is an affine function of the data over
// GF(2) (BIP-173's polymod is linear, bech32m XORs a constant), so six free data characters in the middle are
// solved for to give any wanted checksum.
import { bech32m } from '@scure/base';
import { Address, AddressType } from '../../pactus/address.js';
import type { Network } from '../../pactus/network.js';
import { seededRandom } from '../../compute/simulate.js';

export const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const RANDOM_CHARS = 38;
const HASH_CHARS = 32;

export { seededRandom };

/** A random account address (BLS or Ed25519) from a random hash. */
export function randomAddress(
  random: () => number,
  network: Network = 'testnet',
  type?: AddressType,
): string {
  const hash = Uint8Array.from({ length: 20 }, () => Math.floor(random() * 256));
  const t = type ?? (random() < 0.5 ? AddressType.BlsAccount : AddressType.Ed25519Account);
  return Address.fromHash(t, hash).toString(network);
}

const word = (random: () => number) => Math.floor(random() * 32);
const other = (w: number, random: () => number) => (w + 1 + Math.floor(random() * 31)) % 32;

function checksum(hrp: string, words: number[]): number[] {
  const encoded = bech32m.encode(hrp, words, false);
  return [...encoded.slice(-6)].map((c) => CHARSET.indexOf(c));
}

/** x with A·x = y over GF(2), A given by columns of 30-bit masks; null when A is singular. */
function solve(columns: number[], y: number): number | null {
  const rows = columns.map((col, i) => ({ col, bit: 1 << i }));
  let target = y;
  const pivots: { col: number; bit: number; lead: number }[] = [];
  for (const r of rows) {
    let { col, bit } = r;
    for (const p of pivots)
      if (col & p.lead) {
        col ^= p.col;
        bit ^= p.bit;
      }
    if (col === 0) continue;
    pivots.push({ col, bit, lead: col & -col });
  }
  if (pivots.length < 30) return null;
  let x = 0;
  for (const p of pivots)
    if (target & p.lead) {
      target ^= p.col;
      x ^= p.bit;
    }
  return target === 0 ? x : null;
}

/**
 * A valid address on the target's network sharing exactly `k` leading and `m` trailing characters of the random
 * part with `target` (the characters right after those runs differ). `type` is the attacker's choice of address
 * type (default: the target's). Needs room for six free characters in the middle: k + m <= 24 always fits.
 */
export function lookAlikeOf(
  target: string,
  k: number,
  m: number,
  random: () => number,
  type?: AddressType,
): string {
  const { prefix, words } = bech32m.decode(target as `${string}1${string}`, 90);
  const t = [...words, ...checksum(prefix, words).map((w) => w)]; // type + 32 data + 6 checksum
  const R = t.slice(1);
  if (R.length !== RANDOM_CHARS) throw new Error('not an address');
  const before = RANDOM_CHARS - 1 - m; // the position just before the trailing run
  const free = k + 1; // six free data characters right after the leading run's boundary
  if (k >= HASH_CHARS || free + 6 > Math.min(before, HASH_CHARS))
    throw new Error(`no room for k=${k}, m=${m}`);
  const data = Array.from({ length: HASH_CHARS }, (_, i) => (i < k ? R[i]! : word(random)));
  data[k] = other(R[k]!, random);
  for (let i = Math.max(before + 1, 0); i < HASH_CHARS; i++) data[i] = R[i]!;
  if (before < HASH_CHARS) data[before] = other(R[before]!, random);
  const wanted = R.slice(HASH_CHARS).map((w, j) => {
    const at = HASH_CHARS + j;
    return at > before ? w : at === before ? other(w, random) : word(random);
  });
  const head = [type ?? t[0]!, ...data];
  for (let i = 0; i < 6; i++) head[1 + free + i] = 0;
  const pack = (ws: number[]) => ws.reduce((acc, w) => acc * 32 + w, 0);
  const base = pack(checksum(prefix, head));
  const columns: number[] = [];
  for (let bit = 0; bit < 30; bit++) {
    const probe = [...head];
    probe[1 + free + Math.floor(bit / 5)] = 1 << (bit % 5);
    columns.push(pack(checksum(prefix, probe)) ^ base);
  }
  const x = solve(columns, pack(wanted) ^ base);
  if (x === null) throw new Error('checksum system is singular');
  for (let i = 0; i < 6; i++) head[1 + free + i] = (x >>> (5 * i)) & 31;
  const address = bech32m.encode(prefix, head, false);
  return address;
}

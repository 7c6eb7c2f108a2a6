// A proposal's result on chain: the governance operator signs a 0-PAC transaction to itself whose memo commits to
// the proposal and its final ballot set (count and Merkle root), so a bundle can be checked against the chain.
import { base64urlnopad } from '@scure/base';
import { tryHexToBytes, bytesToHex } from '../pactus/bytes.js';
import { MAX_MEMO_BYTES } from '../pactus/tx.js';

const MEMO = /^pip44:(\d{1,9}):(\d{1,9}):([A-Za-z0-9_-]{43})$/;

/** "pip44:<proposal>:<ballots>:<root, base64url>", at most 64 bytes like every memo. */
export function anchorMemo(proposalId: number, ballots: number, root: string): string {
  const memo = `pip44:${proposalId}:${ballots}:${base64urlnopad.encode(tryHexToBytes(root)!)}`;
  if (memo.length > MAX_MEMO_BYTES) throw new RangeError('anchor memo longer than a memo may be');
  return memo;
}

export function parseAnchorMemo(memo: string): { proposalId: number; ballots: number; root: string } | null {
  const m = MEMO.exec(memo);
  if (!m) return null;
  try {
    return {
      proposalId: Number(m[1]),
      ballots: Number(m[2]),
      root: bytesToHex(base64urlnopad.decode(m[3]!)),
    };
  } catch {
    return null;
  }
}

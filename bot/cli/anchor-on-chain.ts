// An anchor as the chain has it: in a block, the bytes the node returns hash to the id (a node cannot answer with
// another transaction), signed by the deployment's operator, its memo committing to what the file hashes to, and
// made no earlier than the file allows (after the snapshot or the epoch's close; after voting ended). Problems in
// words, for verify-proposal and verify-epoch.
import {
  ANCHOR_NAMES,
  memoProblems,
  type AnchorJson,
  type ExpectedAnchor,
} from '../../deployment/anchors.js';
import { signerOf } from '../../pactus/tx.js';
import type { ChainView } from './chain-view.js';
import { NodeUnreachable } from './verdict.js';

export interface AnchorBounds {
  /** The anchor must be in a block after this height. */
  afterHeight?: number;
  /** And in a block no later than this one (a manifest version must be in force at the file's height). */
  notAfterHeight?: number;
  /** Its block's time must not be before this (ms; block times are whole seconds, and clocks drift a minute). */
  notBeforeMs?: number;
}

export async function anchorOnChain(
  chain: ChainView,
  anchor: AnchorJson,
  expected: ExpectedAnchor,
  bounds: AnchorBounds = {},
): Promise<{ problems: string[]; height: number | null }> {
  const name = `the ${ANCHOR_NAMES[expected.kind]}`;
  const found = await chain.transaction(anchor.txId);
  if (found.state === 'error') throw new NodeUnreachable(`asked for ${name}: ${found.message}`);
  if (found.state === 'missing')
    return {
      problems: [`${name} (transaction ${anchor.txId}) is not in any block of ${chain.endpoint}`],
      height: null,
    };
  if (!found.tx) return { problems: [`the node returned other bytes for ${name}`], height: found.height };
  const problems: string[] = [];
  const signer = signerOf(found.tx.payload).toString(expected.network);
  if (signer !== expected.operator)
    problems.push(
      `${name} on chain was signed by ${signer}, not by the deployment's operator ${expected.operator}`,
    );
  problems.push(...memoProblems(found.tx.memo, expected).map((p) => `on chain, ${p}`));
  if (anchor.height !== null && anchor.height !== found.height)
    problems.push(`${name} is in block ${found.height}, not block ${anchor.height} as the file says`);
  if (bounds.afterHeight !== undefined && found.height <= bounds.afterHeight)
    problems.push(`${name} is in block ${found.height}, not after block ${bounds.afterHeight} as it must be`);
  if (bounds.notAfterHeight !== undefined && found.height > bounds.notAfterHeight)
    problems.push(
      `${name} is in block ${found.height}, after block ${bounds.notAfterHeight}: it was not in force there yet`,
    );
  if (bounds.notBeforeMs !== undefined && found.blockTime * 1000 < bounds.notBeforeMs - 60_000)
    problems.push(
      `${name} was made at ${new Date(found.blockTime * 1000).toISOString()}, before ${new Date(bounds.notBeforeMs).toISOString()}`,
    );
  return { problems, height: found.height };
}

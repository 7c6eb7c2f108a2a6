// Re-reads the delegations a result bundle says were in force at its snapshot, from their signed texts alone, and
// resolves them as the tally does (governance/delegation.ts). Whether a holder signed something newer before the
// snapshot that the bundle leaves out cannot be told from the files (as for ballots the bot never accepted); what
// is there must be each holder's own signed text, for this deployment, made no later than the snapshot.
import { parseAddressFor } from '../pactus/address.js';
import type { Network } from '../pactus/network.js';
import type { SignatureJson } from './commitments.js';
import { delegateMap, type SnapshotDelegation } from './delegation.js';
import { parseDelegationMessage } from './delegation-messages.js';

/** Clocks of the bot's processes may differ this much (as for ballot dates). */
const CLOCK_SLACK_MS = 60_000;

export interface DelegationContext {
  network: Network;
  snapshotHeight: number;
  /** Holders with power in the snapshot. */
  power: ReadonlyMap<string, bigint>;
  /** The signed proposal's domain and issue time, when its text could be read. */
  proposal: { domain: string; issuedAt: number } | null;
  /** Whether `signature` is a valid signature of `message` by the key that owns its address. */
  verify(message: string, signature: SignatureJson): boolean;
}

export interface DelegationCheck {
  problems: string[];
  /** Holder -> delegate, from the entries that hold up. */
  delegates: Map<string, string>;
  delegations: number;
  revocations: number;
}

/** Whether `text` is an address of `network` exactly as it prints (lower case, the right prefix). */
function isCanonical(text: string, network: Network): boolean {
  try {
    return parseAddressFor(text, network).toString(network) === text;
  } catch {
    return false;
  }
}

export function checkDelegations(entries: SnapshotDelegation[], c: DelegationContext): DelegationCheck {
  const problems: string[] = [];
  const valid: { delegator: string; delegate: string | null }[] = [];
  let previous: string | null = null;
  for (const entry of entries) {
    const holder = entry.signature.address;
    const of = `the delegation of ${holder}`;
    const before = problems.length;
    if (previous !== null && !(previous < holder))
      problems.push(
        holder === previous
          ? `${holder} has more than one delegation in the snapshot`
          : `the snapshot's delegations are not in order by holder (${holder} after ${previous})`,
      );
    previous = holder;
    const text = parseDelegationMessage(entry.message);
    if (!text) {
      problems.push(`${of} is not a well-formed PIP-44 delegation or revocation`);
      continue;
    }
    if (!text.from.includes(holder)) problems.push(`${of} is signed by ${holder}, which it does not list`);
    // The bot lists only addresses of its own network, as they print: anything else is a text made elsewhere.
    const foreign = text.from.filter((a) => !isCanonical(a, c.network));
    if (foreign.length)
      problems.push(
        `${of} lists ${foreign.join(', ')}, which is not a ${c.network} address as the bot writes it`,
      );
    if (!c.power.has(holder)) problems.push(`${of} is listed, but ${holder} holds no power in the snapshot`);
    if (c.proposal && text.domain !== c.proposal.domain)
      problems.push(`${of} is for ${text.domain}, not for this proposal's ${c.proposal.domain}`);
    if (text.height > c.snapshotHeight)
      problems.push(
        `${of} is valid from block ${text.height}, after the snapshot (block ${c.snapshotHeight})`,
      );
    if (c.proposal && Date.parse(text.issued) > c.proposal.issuedAt + CLOCK_SLACK_MS)
      problems.push(`${of} was issued at ${text.issued}, after the proposal`);
    if (text.delegate !== null) {
      let address: string | null = null;
      try {
        address = parseAddressFor(text.delegate, c.network).toString(c.network);
      } catch {
        problems.push(`${of} names a delegate that is not a ${c.network} address`);
      }
      if (address !== null && (address !== text.delegate || text.from.includes(address)))
        problems.push(`${of} names one of its own holders (or a non-canonical address) as the delegate`);
    }
    if (problems.length === before && !c.verify(entry.message, entry.signature))
      problems.push(`the delegation signature of ${holder} is invalid`);
    if (problems.length === before) valid.push({ delegator: holder, delegate: text.delegate });
  }
  return {
    problems,
    delegates: delegateMap(valid),
    delegations: valid.filter((v) => v.delegate !== null).length,
    revocations: valid.filter((v) => v.delegate === null).length,
  };
}

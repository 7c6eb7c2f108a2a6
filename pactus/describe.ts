import { pacText as pac } from './amount.js';
import { PublicKey } from './keys.js';
import type { Network } from './network.js';
import { blockWords, durationWords } from './time-words.js';
import { PayloadType, signerOf, totalDebit, type Transaction } from './tx.js';

/** Control characters and direction overrides/isolates: they can make text read as something it is not. */
const HIDDEN = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function hasHiddenCharacters(text: string): boolean {
  HIDDEN.lastIndex = 0;
  return HIDDEN.test(text);
}

/** Text with every hidden character shown as its code point, so what is displayed is what the bytes say. */
export function revealHidden(text: string): string {
  return text.replace(HIDDEN, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

export interface Summary {
  title: string;
  /** `address` rows hold one full address (the page groups its characters for reading). */
  rows: { label: string; value: string; amount?: boolean; address?: boolean }[];
}

/** What the page knows about the chain, to say when heights happen. */
export interface ChainTiming {
  height: number | null;
  blockIntervalMs: number;
  unbondInterval: number;
}

/** What the bytes say, in words: the page's summary is built from the decoded transaction only. */
export function describeTransaction(tx: Transaction, network: Network, timing?: ChainTiming): Summary {
  const a = (address: { toString(n: Network): string }) => address.toString(network);
  const at = (height: number) =>
    timing?.height ? blockWords(height, timing.height, timing.blockIntervalMs) : `block ${height}`;
  const p = tx.payload;
  const rows: Summary['rows'] = [];
  let title: string;
  switch (p.type) {
    case PayloadType.Transfer:
      title = 'Send PAC';
      rows.push(
        { label: 'From', address: true, value: a(p.from) },
        { label: 'To', address: true, value: a(p.to) },
        { label: 'Amount', value: pac(p.amount), amount: true },
      );
      break;
    case PayloadType.BatchTransfer:
      title = `Send PAC to ${p.recipients.length} recipients`;
      rows.push({ label: 'From', address: true, value: a(p.from) });
      p.recipients.forEach((r, i) => {
        rows.push(
          { label: `To #${i + 1}`, address: true, value: a(r.to) },
          { label: `Amount #${i + 1}`, value: pac(r.amount), amount: true },
        );
      });
      break;
    case PayloadType.Bond:
      title = p.publicKey ? 'Stake PAC on a new validator' : 'Stake PAC (bond)';
      rows.push(
        { label: 'From', address: true, value: a(p.from) },
        { label: 'Validator', address: true, value: a(p.to) },
        { label: 'Stake', value: pac(p.stake), amount: true },
      );
      if (p.publicKey)
        rows.push({
          label: 'Validator key',
          value: PublicKey.fromBytes('bls', p.publicKey).toString(network),
        });
      if (p.delegation)
        rows.push(
          { label: 'Delegate owner', address: true, value: a(p.delegation.owner) },
          { label: "Owner's share per block", value: pac(p.delegation.share) },
          { label: 'Delegation ends', value: at(p.delegation.expiry) },
        );
      break;
    case PayloadType.Unbond:
      title = 'Unstake (unbond) a validator';
      rows.push({ label: 'Validator', address: true, value: a(p.validator) });
      if (p.delegateOwner) rows.push({ label: 'Delegate owner', address: true, value: a(p.delegateOwner) });
      rows.push({
        label: 'Note',
        value: timing
          ? `The stake can be withdrawn ${timing.unbondInterval.toLocaleString('en-US')} blocks after this is mined (${durationWords(timing.unbondInterval * timing.blockIntervalMs)}).`
          : 'The stake can be withdrawn after the unbonding period (about 21 days on mainnet).',
      });
      break;
    case PayloadType.Withdraw:
      title = 'Withdraw unstaked PAC';
      rows.push(
        { label: 'Validator', address: true, value: a(p.from) },
        { label: 'To', address: true, value: a(p.to) },
        { label: 'Amount', value: pac(p.amount), amount: true },
      );
      break;
    case PayloadType.Sortition:
      title = 'Sortition (validators only)';
      rows.push({ label: 'Validator', address: true, value: a(p.validator) });
      break;
  }
  rows.push({ label: 'Fee', value: pac(tx.fee) });
  if (p.type !== PayloadType.Unbond && p.type !== PayloadType.Sortition) {
    const label = p.type === PayloadType.Withdraw ? 'Taken from stake' : 'Total leaving the wallet';
    rows.push({ label, value: pac(totalDebit(tx)), amount: true });
  }
  rows.push({
    label: 'Memo',
    value:
      tx.memo === ''
        ? '(none)'
        : tx.memoBytes
          ? `${revealHidden(tx.memo)} (not valid text: unreadable bytes show as �)`
          : hasHiddenCharacters(tx.memo)
            ? `${revealHidden(tx.memo)} (warning: contains hidden or direction-changing characters)`
            : tx.memo,
  });
  rows.push({ label: 'Signed by', address: true, value: a(signerOf(p)) });
  rows.push({ label: 'Valid from block', value: String(tx.lockTime) });
  return { title, rows };
}

// The texts a holder signs (PIP-23 raw UTF-8, like ballots) to let another address vote with its power, and to
// take that back. A verifier re-reads every delegation in a result bundle from its text alone, so the format is
// strict: one "Key: value" per line, fixed order, and a parsed text must print back to the very same bytes.

export type DelegationKind = 'delegate' | 'revoke';

export interface DelegationText {
  kind: DelegationKind;
  domain: string;
  /** The holders whose voting power this is about; each signs for itself. */
  from: string[];
  /** Who votes with that power; null in a revocation. */
  delegate: string | null;
  /** The block after the one it was made in: it counts for no snapshot taken before this block. */
  height: number;
  issued: string;
  nonce: string;
}

const HEADINGS: Record<DelegationKind, string> = {
  delegate: 'Pactus DAO delegation (PIP-44)',
  revoke: 'Pactus DAO delegation revoked (PIP-44)',
};

export function delegationMessage(d: DelegationText): string {
  return [
    HEADINGS[d.kind],
    `Domain: ${d.domain}`,
    `From: ${d.from.join(', ')}`,
    ...(d.kind === 'delegate' ? [`Delegate: ${d.delegate ?? ''}`] : []),
    `Valid from: block ${d.height}`,
    `Issued: ${d.issued}`,
    `Nonce: ${d.nonce}`,
  ].join('\n');
}

const ADDRESS = '[a-z0-9]{8,90}';
const LIST = `(${ADDRESS}(?:, ${ADDRESS}){0,63})`;
const FIELDS = {
  domain: /^Domain: (\S{1,253})$/,
  from: new RegExp(`^From: ${LIST}$`),
  delegate: new RegExp(`^Delegate: (${ADDRESS})$`),
  height: /^Valid from: block (0|[1-9]\d{0,9})$/,
  issued: /^Issued: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/,
  nonce: /^Nonce: ([0-9a-f]{16,64})$/,
};

/**
 * Reads a delegation or revocation strictly: its heading, the fields in their order, nothing else; a holder listed
 * twice, an issue time that is no real instant, or anything that would not print back identically is refused.
 * Null for anything else.
 */
export function parseDelegationMessage(message: string): DelegationText | null {
  const lines = message.split('\n');
  const kind = (Object.keys(HEADINGS) as DelegationKind[]).find((k) => HEADINGS[k] === lines[0]);
  if (!kind) return null;
  const order = (
    kind === 'delegate'
      ? ['domain', 'from', 'delegate', 'height', 'issued', 'nonce']
      : ['domain', 'from', 'height', 'issued', 'nonce']
  ) as (keyof typeof FIELDS)[];
  if (lines.length !== order.length + 1) return null;
  const values: Partial<Record<keyof typeof FIELDS, string>> = {};
  for (const [i, field] of order.entries()) {
    const m = FIELDS[field].exec(lines[i + 1]!);
    if (!m) return null;
    values[field] = m[1]!;
  }
  const from = values.from!.split(', ');
  if (new Set(from).size !== from.length) return null;
  const issued = values.issued!;
  if (Number.isNaN(Date.parse(issued)) || new Date(Date.parse(issued)).toISOString() !== issued) return null;
  const parsed: DelegationText = {
    kind,
    domain: values.domain!,
    from,
    delegate: values.delegate ?? null,
    height: Number(values.height),
    issued,
    nonce: values.nonce!,
  };
  return delegationMessage(parsed) === message ? parsed : null;
}

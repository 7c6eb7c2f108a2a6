import { readdirSync, readFileSync } from 'node:fs';
import { PrivateKey, Address, AddressType } from '../../pactus/index.js';
import { DEFAULT_DEVNET_MNEMONIC, devnetKeys } from '../../devnet/index.js';
import { buildRegistry } from '../../agents/catalog.js';
import { createRulesParser, understand } from '../../agents/rules/index.js';
import { parseLimitValue } from '../../agents/actions/limits.js';
import { parsePac } from '../../pactus/amount.js';
import type { GuardSetting } from '../../db/schema.js';

export interface EvalCase {
  file: string;
  line: number;
  text: string;
  expect: { action: string | null; args?: Record<string, unknown> };
  /** The template family of a generated line. */
  tag?: string;
  /** A typo: a "did you mean ...?" offering exactly the expected reading counts as understood. */
  offerOk?: boolean;
  /** The message holds a recovery phrase or private key: it is refused, never read (test/eval/secrets.jsonl). */
  secret?: boolean;
}

/** What a reader made of a message: an action with its validated arguments, or none (with an offered reading). */
export interface Reading {
  action: string | null;
  args?: Record<string, unknown>;
  offer?: { action: string; args: Record<string, unknown> };
}

/** Placeholders in the eval files ($ED0, $VAL1, ...) stand for real devnet addresses, keeping the files readable. */
let cached: Record<string, string> | null = null;

export function placeholders(): Record<string, string> {
  cached ??= derivePlaceholders();
  return { ...cached };
}

function derivePlaceholders(): Record<string, string> {
  const keys = devnetKeys(DEFAULT_DEVNET_MNEMONIC);
  const map: Record<string, string> = {};
  for (const k of keys.accounts)
    map[`$${k.purpose === 'ed25519-account' ? 'ED' : 'BLS'}${k.index}`] = k.address.toString('testnet');
  for (const k of keys.validators) map[`$VAL${k.index}`] = k.address.toString('testnet');
  const fresh = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(41)).publicKey();
  map.$NEWVAL = fresh.validatorAddress().toString('testnet');
  map.$NEWKEY = fresh.toString('testnet');
  map.$MAINNET = PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(44))
    .publicKey()
    .accountAddress()
    .toString('mainnet');
  const ed1 = map.$ED1!;
  map.$BADADDR = ed1.slice(0, -1) + (ed1.endsWith('q') ? 'p' : 'q');
  map.$TXID = 'a57ae2db8d361504b6b97803cdf2bc27561fde536f49683cdbcbb23ceaded0ae';
  map.$VALACCT = Address.fromHash(
    AddressType.BlsAccount,
    Address.fromHash(AddressType.Validator, fresh.hash()).hash,
  ).toString('testnet');
  return map;
}

function substitute(value: string, map: Record<string, string>): string {
  return value.replace(/\$[A-Z]+\d?/g, (token) => map[token] ?? token);
}

/** The hand-written lines (test/eval/*.jsonl), or those of one generated file (test/eval/generated/<name>.jsonl). */
export function loadEvalCases(dir = new URL('./', import.meta.url)): EvalCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((file) => parseJsonl(file, readFileSync(new URL(file, dir), 'utf8')));
}

export const GENERATED_DIR = new URL('./generated/', import.meta.url);

export function loadGeneratedCases(
  name: 'dev' | 'heldout' | 'heldout2' | 'heldout3' | 'heldout4',
): EvalCase[] {
  return parseJsonl(`generated/${name}.jsonl`, readFileSync(new URL(`${name}.jsonl`, GENERATED_DIR), 'utf8'));
}

function parseJsonl(file: string, content: string): EvalCase[] {
  const map = placeholders();
  const cases: EvalCase[] = [];
  content.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const raw = JSON.parse(line) as Omit<EvalCase, 'file' | 'line'>;
    cases.push({
      file,
      line: i + 1,
      text: substitute(raw.text, map),
      expect: {
        action: raw.expect.action,
        ...(raw.expect.args && {
          args: Object.fromEntries(
            Object.entries(raw.expect.args).map(([k, v]) => [
              k,
              typeof v === 'string' ? substitute(v, map) : v,
            ]),
          ),
        }),
      },
      ...(raw.tag && { tag: raw.tag }),
      ...(raw.offerOk && { offerOk: true }),
      ...(raw.secret && { secret: true }),
    });
  });
  return cases;
}

export interface EvalResult {
  total: number;
  passed: number;
  perAction: Map<string, { total: number; passed: number }>;
  perTag: Map<string, { total: number; passed: number }>;
  failures: { case: EvalCase; got: unknown }[];
  /** Time per message, in milliseconds, in the order read. */
  times: number[];
}

/**
 * Two readings' arguments mean the same: names in any case (the address book is case-blind), amounts by their
 * exact NanoPAC ("5.00" is "5"), and a limit by the value the action reads from it ("50" and "50 PAC").
 */
const sameArgs = (
  action: string | null,
  a: Record<string, unknown> | undefined,
  b: Record<string, unknown> | undefined,
) => JSON.stringify(canonical(action, a ?? {})) === JSON.stringify(canonical(action, b ?? {}));

const CASELESS = new Set(['to', 'from', 'name', 'address', 'validator', 'addresses', 'recipients']);

function exactPac(text: string): string {
  try {
    return parsePac(text).toString();
  } catch {
    return text;
  }
}

function canonical(action: string | null, args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value !== 'string') out[key] = value;
    else if (key === 'amount') out[key] = exactPac(value);
    else if (key === 'recipients')
      out[key] = value
        .toLowerCase()
        .split(',')
        .map((pair) => pair.trim().replace(/\S+$/, (amount) => exactPac(amount)))
        .join(', ');
    else if (CASELESS.has(key)) out[key] = value.toLowerCase();
    else out[key] = value;
  }
  if (action === 'limit_set' && typeof args.setting === 'string' && typeof args.value === 'string')
    try {
      const change = parseLimitValue(args.setting as GuardSetting, args.value);
      out.value = String(change.value);
    } catch {
      // not a value the action reads: compared as written
    }
  return sortKeys(out);
}

/**
 * Scores a reader of messages: the action must match, and for actions the (validated) arguments too. A typo line
 * also passes when the reader asks "did you mean ...?" offering exactly the expected reading.
 */
export async function score(
  cases: EvalCase[],
  read: (text: string) => Promise<Reading>,
): Promise<EvalResult> {
  const result: EvalResult = {
    total: 0,
    passed: 0,
    perAction: new Map(),
    perTag: new Map(),
    failures: [],
    times: [],
  };
  const count = (map: Map<string, { total: number; passed: number }>, key: string, ok: boolean) => {
    const bucket = map.get(key) ?? { total: 0, passed: 0 };
    bucket.total++;
    if (ok) bucket.passed++;
    map.set(key, bucket);
  };
  for (const c of cases) {
    const started = performance.now();
    const got = await read(c.text);
    result.times.push(performance.now() - started);
    const expected = c.expect;
    const ok =
      (got.action === expected.action &&
        (expected.action === null || sameArgs(expected.action, got.args, expected.args))) ||
      (c.offerOk === true &&
        got.action === null &&
        got.offer?.action === expected.action &&
        sameArgs(expected.action, got.offer.args, expected.args));
    result.total++;
    if (ok) result.passed++;
    else result.failures.push({ case: c, got });
    count(result.perAction, expected.action ?? '(refuse or clarify)', ok);
    if (c.tag) count(result.perTag, c.tag, ok);
  }
  return result;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** The rules model as an eval reader: its schema-validated reading, and the reading it offers when it asks. */
export function rulesReader(): (text: string) => Promise<Reading> {
  const catalog = buildRegistry();
  const parser = createRulesParser('testnet', catalog.rules);
  return async (text) => {
    const intent = understand(text, parser, catalog.actions);
    if (intent.action !== null) return { action: intent.action, args: intent.args };
    if (!intent.offer) return { action: null };
    const parsed = catalog.actions.parseArgs(intent.offer.action, intent.offer.args);
    return 'error' in parsed
      ? { action: null }
      : { action: null, offer: { action: intent.offer.action, args: parsed.input } };
  };
}

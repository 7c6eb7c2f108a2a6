import { readdirSync, readFileSync } from 'node:fs';
import { PrivateKey, Address, AddressType } from '../../pactus/index.js';
import { DEFAULT_DEVNET_MNEMONIC, devnetKeys } from '../../devnet/index.js';

export interface EvalCase {
  file: string;
  line: number;
  text: string;
  expect: { action: string | null; args?: Record<string, unknown> };
  /** The message holds a recovery phrase or private key: it is refused, never read (test/eval/secrets.jsonl). */
  secret?: boolean;
}

/** Placeholders in the eval files ($ED0, $VAL1, ...) stand for real devnet addresses, keeping the files readable. */
export function placeholders(): Record<string, string> {
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

export function loadEvalCases(dir = new URL('./', import.meta.url)): EvalCase[] {
  const map = placeholders();
  const cases: EvalCase[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    readFileSync(new URL(file, dir), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        const raw = JSON.parse(line) as { text: string; expect: EvalCase['expect']; secret?: boolean };
        cases.push({
          file,
          line: i + 1,
          text: substitute(raw.text, map),
          ...(raw.secret && { secret: true }),
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
        });
      });
  }
  return cases;
}

export interface EvalResult {
  total: number;
  passed: number;
  perAction: Map<string, { total: number; passed: number }>;
  failures: { case: EvalCase; got: unknown }[];
}

/** Scores a reader of messages: the action must match, and for actions the (validated) arguments too. */
export async function score(
  cases: EvalCase[],
  read: (text: string) => Promise<{ action: string | null; args?: Record<string, unknown> }>,
): Promise<EvalResult> {
  const result: EvalResult = { total: 0, passed: 0, perAction: new Map(), failures: [] };
  for (const c of cases) {
    const got = await read(c.text);
    const ok =
      got.action === c.expect.action &&
      (c.expect.action === null ||
        JSON.stringify(sortKeys(got.args ?? {})) === JSON.stringify(sortKeys(c.expect.args ?? {})));
    const key = c.expect.action ?? '(refuse or clarify)';
    const bucket = result.perAction.get(key) ?? { total: 0, passed: 0 };
    bucket.total++;
    result.total++;
    if (ok) {
      bucket.passed++;
      result.passed++;
    } else result.failures.push({ case: c, got });
    result.perAction.set(key, bucket);
  }
  return result;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

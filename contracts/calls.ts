import { ContractError } from './errors.js';
import type { SimulationCall } from './sandbox.js';

const CALL = /^\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\(([^()]*)\)\s*$/;

/**
 * Calls as people write them: `increment()`, `transfer(alice, 5)`, `set("a b", -2)`, several separated by ";"
 * or "then". Whole numbers are numbers; anything else (a bare word or quoted text) is text.
 */
export function parseCalls(written: string): SimulationCall[] {
  const parts = written
    .split(/;|\bthen\b/i)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) throw new ContractError('Which function? Write the call, for example "increment()".');
  return parts.map((part) => {
    const m = CALL.exec(part);
    if (!m)
      throw new ContractError(
        `"${part.slice(0, 40)}" is not a call: write it as name(arguments), for example transfer(alice, 5).`,
      );
    const args = m[2]!.trim() === '' ? [] : m[2]!.split(',').map((a) => a.trim());
    return {
      fn: m[1]!,
      args: args.map((arg) => {
        if (/^-?\d{1,20}$/.test(arg)) return BigInt(arg);
        const quoted = /^"(.*)"$|^'(.*)'$/.exec(arg);
        const value = quoted ? (quoted[1] ?? quoted[2]!) : arg;
        if (!value || value.length > 256)
          throw new ContractError('A text argument must be 1 to 256 characters.');
        return value;
      }),
    };
  });
}

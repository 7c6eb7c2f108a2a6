// Which failures mean "the database is away for a while" (try again later: a request is told so, a reward stays
// unsettled, a pass backs off) and which mean the work itself is wrong. Generated: every transient code and message
// behind any depth of drizzle-style wrapping, and the errors a query can really fail with otherwise.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../db/connection.js';

const transientCodes = fc.constantFrom(
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08P01',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '40001',
  '40P01',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
);
const transientMessages = fc.constantFrom(
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
);
/** Errors that say the query or the data is wrong: retrying them later changes nothing. */
const permanentCodes = fc.constantFrom(
  '23505',
  '23503',
  '23502',
  '22P02',
  '42P01',
  '42703',
  '42601',
  '22003',
  'SQLITE_CONSTRAINT',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_ERROR',
  'ERR_INVALID_ARG_TYPE',
  'ENOENT',
);

/** Wraps an error the way drizzle (DrizzleQueryError), our code or Node (AggregateError) do, `depth` times. */
function wrapped(inner: unknown, wrappers: ('drizzle' | 'plain' | 'aggregate')[]): unknown {
  return wrappers.reduce<unknown>((error, kind) => {
    if (kind === 'aggregate') return new AggregateError([new Error('other'), error], 'all attempts failed');
    const outer = new Error(
      kind === 'drizzle' ? 'Failed query: select "id" from "outbox"\nparams: ' : 'pass failed',
    );
    return Object.assign(outer, { cause: error });
  }, inner);
}
const wrappers = fc.array(fc.constantFrom('drizzle', 'plain', 'aggregate' as const), { maxLength: 4 });

it('a stopped server, a dropped connection or a busy SQLite, however wrapped, is "unavailable"', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        transientCodes.map((code) => Object.assign(new Error(`failed: ${code}`), { code })),
        transientMessages.map((message) => new Error(message)),
      ),
      wrappers,
      (error, wrap) => {
        expect(isDatabaseUnavailable(wrapped(error, wrap))).toBe(true);
      },
    ),
  );
});

it('a constraint, a syntax error, a bad value or a bug is not, however wrapped', () => {
  fc.assert(
    fc.property(permanentCodes, fc.string(), wrappers, (code, text, wrap) => {
      fc.pre(!/Connection terminated|not queryable|timeout exceeded|pool after calling end/.test(text));
      expect(isDatabaseUnavailable(wrapped(Object.assign(new Error(text), { code }), wrap))).toBe(false);
    }),
  );
  for (const value of [undefined, null, 'ECONNREFUSED', 42, {}, { code: 57 }])
    expect(isDatabaseUnavailable(value)).toBe(false);
});

it('a cause chain that loops ends (a hostile or buggy error object)', () => {
  const a = Object.assign(new Error('a'), { code: '23505' }) as Error & { cause?: unknown };
  const b = new Error('b', { cause: a });
  a.cause = b;
  expect(isDatabaseUnavailable(b)).toBe(false);
});

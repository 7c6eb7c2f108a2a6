import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactSecrets } from '../pactus/secrets/index.js';

/**
 * A failed query's values never reach the logs: drizzle's DrizzleQueryError carries them (`params`, and a
 * "params: ..." line in its message and stack), and they can hold what people wrote (a stored Telegram update is the
 * raw message, before any secret check). The statement itself is kept: it says what failed.
 */
export function withoutQueryValues(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string')
      return value.replace(/\nparams: [\s\S]*?(?=\n {4}at |\ncaused by|$)/g, '\nparams: [withheld]');
    if (!value || typeof value !== 'object' || depth > 8) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === 'params' ? '[withheld]' : scrub(v, depth + 1)]),
    );
  };
  return scrub(serialized, 0);
}

/**
 * Structured logs on stderr (stdout belongs to the console chat and JSON-lines mode), or in `file` when a person
 * is chatting in this terminal and log lines would land in the middle of the conversation.
 */
export function createLogger(level: string, file?: string): Logger {
  return pino(
    loggerOptions(level),
    file
      ? pino.destination({ dest: file, mkdir: true, sync: false })
      : pino.destination({ fd: 2, sync: false }),
  );
}

/**
 * Fields named like secrets are censored; and every string a line carries (its message, fields, an error's message
 * and stack), whatever its name, has recovery phrases and private keys cut out (pactus/secrets): an error that
 * quotes a person's input, or a field nobody thought to name, cannot carry one into a log.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: undefined,
    redact: {
      paths: ['*.token', '*.mnemonic', '*.privateKey', '*.signedTx', 'token', 'mnemonic'],
      censor: '[redacted]',
    },
    serializers: { err: withoutQueryValues },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((a) => scrub(a, 0)) as Parameters<typeof method>);
      },
    },
  };
}

/** `value` with secrets cut out of its strings (a copy only where something changed; 4 levels deep). */
export function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const message = redactSecrets(value.message);
    const stack = value.stack === undefined ? undefined : redactSecrets(value.stack);
    if (message === value.message && stack === value.stack) return value;
    const clean = new Error(message);
    clean.name = value.name;
    clean.stack = stack;
    return clean;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => scrub(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = scrub(v, depth + 1);
    changed ||= out[key] !== v;
  }
  return changed ? out : value;
}

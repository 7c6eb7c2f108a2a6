import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactSecrets } from '../pactus/secrets/index.js';

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

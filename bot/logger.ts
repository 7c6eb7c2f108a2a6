import pino, { type Logger } from 'pino';

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
    {
      level,
      base: undefined,
      redact: {
        paths: ['*.token', '*.mnemonic', '*.privateKey', '*.signedTx', 'token', 'mnemonic'],
        censor: '[redacted]',
      },
      serializers: { err: withoutQueryValues },
    },
    file
      ? pino.destination({ dest: file, mkdir: true, sync: false })
      : pino.destination({ fd: 2, sync: false }),
  );
}

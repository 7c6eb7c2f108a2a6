import pino, { type Logger } from 'pino';

/** Structured logs on stderr (stdout belongs to the console chat and JSON-lines mode). */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['*.token', '*.mnemonic', '*.privateKey', '*.signedTx', 'token', 'mnemonic'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}

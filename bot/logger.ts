import pino, { type Logger } from 'pino';

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
    },
    file
      ? pino.destination({ dest: file, mkdir: true, sync: false })
      : pino.destination({ fd: 2, sync: false }),
  );
}

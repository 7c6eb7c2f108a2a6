// How a subcommand names a mistake in its command line or in a file it was given: in words, never Node's codes.

/** Whether `error` is node:util parseArgs refusing the command line (an unknown option, a missing value). */
export function isArgsError(error: unknown): error is Error {
  return (
    error instanceof Error && String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}

/**
 * parseArgs' refusal, first sentence only: "Unknown option '--x'" without its advice on positionals after '--'
 * (which no subcommand here needs, and whose quoting Node leaves unbalanced).
 */
export function argsProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\.\s+(?=[A-Z])/)[0]!.replace(/\.$/, '');
}

/** Why a file could not be read, in words. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  return (error as Error).message;
}

/** Why a URL could not be read: fetch says only "fetch failed", the reason is in its cause. */
export function fetchProblem(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'no answer within 20 seconds';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'nothing answers at that address (is the bot running, and is this its signer URL?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'that host name cannot be found';
    case 'ECONNRESET':
      return 'the connection was cut';
  }
  // No code: fetch's own refusals, such as a port browsers block ("bad port").
  const reason = cause?.code ?? cause?.message;
  return reason ? `it cannot be reached (${reason})` : (error as Error).message;
}

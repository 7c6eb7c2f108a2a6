import { argsProblem, isArgsError } from './args.js';
import { decodeCommand } from './decode.js';
import { addressCommand } from './address.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

const consoleIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Subcommands are loaded lazily so `decode` does not pay for starting a database or a gRPC stack. */
const commands: Record<string, { summary: string; details: string[]; load: () => Promise<Command> }> = {
  decode: {
    summary: 'decode [--network mainnet|testnet] <hex>   decode a raw transaction',
    details: [
      'Prints the transaction as one JSON object; exit 1 with the byte offset when the bytes are not a transaction.',
      '--network  how to write its addresses (the bytes do not say); default mainnet, with a note on stderr',
    ],
    load: async () => decodeCommand,
  },
  address: {
    summary: 'address <public or private key>           show the addresses of a key',
    details: ['Prints the account (and, for a BLS key, validator) address of the key as JSON.'],
    load: async () => addressCommand,
  },
};

/** A subcommand: its one-line summary (the list), more lines for its --help, and its code, loaded when run. */
export function registerCommand(
  name: string,
  summary: string,
  load: () => Promise<Command>,
  details: string[] = [],
): void {
  commands[name] = { summary, details, load };
}

/** The registered subcommands (the full list once commands.ts has loaded). */
export async function commandNames(): Promise<string[]> {
  await import('./commands.js');
  return Object.keys(commands);
}

const HELP = new Set(['help', '--help', '-h']);

/**
 * `npx pactus-bot discord:commands | head`: the reader is gone, which is the reader's business, not an error to
 * print a stack for. Output simply stops, as for any Unix tool.
 */
function stopQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
}

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  if (io === consoleIo) stopQuietlyOnClosedPipe();
  await import('./commands.js');
  const [name, ...rest] = argv;
  const entry = name ? commands[name] : undefined;
  if (!entry) {
    const asked = !name || HELP.has(name);
    if (!asked) io.err(`Unknown command "${name}".`);
    io.out('Usage: pactus-bot <command> [options]   (pactus-bot <command> --help for its options)\n');
    for (const { summary } of Object.values(commands)) io.out(`  ${summary}`);
    return asked ? 0 : 1;
  }
  // Every subcommand answers --help the same way, before its own option parsing can call it unknown.
  if (rest.some((arg) => arg === '--help' || arg === '-h')) {
    io.out(`Usage: pactus-bot ${entry.summary}`);
    for (const line of entry.details) io.out(`  ${line}`);
    return 0;
  }
  const command = await entry.load();
  try {
    return await command(rest, io);
  } catch (error) {
    // A mistyped option is the person's mistake: say which and show the usage, never a stack.
    if (isArgsError(error)) {
      io.err(`${name}: ${argsProblem(error)}`);
      io.err(`Usage: pactus-bot ${entry.summary}`);
      return 2;
    }
    // A setting the command reads (.env or the environment) is wrong: the same sentences `npm start` prints.
    // (Loaded only now: config.ts brings zod and the key code, which `decode` should not pay for.)
    if (error instanceof (await import('../config.js')).ConfigError) {
      io.err(error.message);
      return 2;
    }
    // Anything else is a bug: one line for the person, the stack only when asked for.
    io.err(`error: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace')
      io.err(String((error as Error).stack));
    else io.err('(set LOG_LEVEL=debug to see where)');
    return 1;
  }
}

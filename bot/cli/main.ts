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
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  decode: {
    summary: 'decode [--network mainnet|testnet] <hex>   decode a raw transaction',
    load: async () => decodeCommand,
  },
  address: {
    summary: 'address <public or private key>           show the addresses of a key',
    load: async () => addressCommand,
  },
};

export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  commands[name] = { summary, load };
}

/** The registered subcommands (the full list once commands.ts has loaded). */
export async function commandNames(): Promise<string[]> {
  await import('./commands.js');
  return Object.keys(commands);
}

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  await import('./commands.js');
  const [name, ...rest] = argv;
  const entry = name ? commands[name] : undefined;
  if (!entry) {
    if (name && name !== 'help' && name !== '--help') io.err(`Unknown command "${name}".`);
    io.out('Usage: pactus-bot <command> [options]\n');
    for (const { summary } of Object.values(commands)) io.out(`  ${summary}`);
    return name && name !== 'help' && name !== '--help' ? 1 : 0;
  }
  // Every subcommand answers --help the same way, before its own option parsing can call it unknown.
  if (rest.some((arg) => arg === '--help' || arg === '-h')) {
    io.out(`Usage: pactus-bot ${entry.summary}`);
    return 0;
  }
  const command = await entry.load();
  try {
    return await command(rest, io);
  } catch (error) {
    // A mistyped option is the person's mistake: say which and show the usage, never a stack.
    if (isParseArgsError(error)) {
      io.err(`${name}: ${error.message}`);
      io.err(`Usage: pactus-bot ${entry.summary}`);
      return 2;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error && String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}

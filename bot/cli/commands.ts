// Subcommands that need more of the application; loaded lazily by main.ts so `decode` stays fast.
import { parseArgs } from 'node:util';
import { registerCommand } from './main.js';

registerCommand(
  'devnet',
  'devnet [--host H] [--port N] [--chain <file>]  run the embedded devnet node (--chain keeps it across restarts)',
  async () => (await import('./devnet.js')).devnetCommand,
);

registerCommand(
  'intent',
  'intent ["<message>"]                     how the rules model reads a message (JSON)',
  async () => (await import('./intent.js')).intentCommand,
);

registerCommand(
  'discord:commands',
  'discord:commands                          print the slash commands JSON',
  async () => async (args, io) => {
    parseArgs({ args, options: {} });
    const [{ buildRegistry }, { slashCommands }] = await Promise.all([
      import('../../agents/catalog.js'),
      import('../discord/commands.js'),
    ]);
    io.out(JSON.stringify(slashCommands(buildRegistry().actions), null, 2));
    return 0;
  },
);

registerCommand(
  'verify-proposal',
  'verify-proposal <bundle.json> | --receipt <file> --deployment <operator address | manifest> [--node host:port]  re-verify a DAO result (or a ballot receipt)',
  async () => (await import('./verify-proposal.js')).verifyProposalCommand,
);

registerCommand(
  'rewards:payout',
  'rewards:payout [--dry-run]                draft reward payouts for the pool operator',
  async () => (await import('./rewards-payout.js')).rewardsPayoutCommand,
);

registerCommand(
  'wasm:check',
  'wasm:check <file.wasm|file.wat> [--call "fn(args); ..."]  check a WASM contract (and simulate calls) as JSON',
  async () => (await import('./wasm-check.js')).wasmCheckCommand,
);

registerCommand(
  'contribute',
  'contribute --key <file> (--model <gguf> | --upstream <url> --model-hash <sha256>) [--port N] [--host H] [--public-url URL] [--model-name NAME]  serve inference as a PIP-44 contributor',
  async () => (await import('./contribute.js')).contributeCommand,
);

registerCommand(
  'verify-epoch',
  'verify-epoch <bundle.json | proofs.json> --deployment <operator address | manifest> [--node host:port]  re-verify a compute epoch, or your receipts in it',
  async () => (await import('./verify-epoch.js')).verifyEpochCommand,
);

registerCommand(
  'compute:simulate',
  'compute:simulate [--blocks N --contributors M ...]  replay PIP-44 reward halving: fairness, cheater, sybil',
  async () => (await import('./compute-simulate.js')).computeSimulateCommand,
);

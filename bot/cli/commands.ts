// Subcommands that need more of the application; loaded lazily by main.ts so `decode` stays fast.
import { parseArgs } from 'node:util';
import { registerCommand } from './main.js';

registerCommand(
  'devnet',
  'devnet [--host H] [--port N] [--chain <file>]  run the embedded devnet node (--chain keeps it across restarts)',
  async () => (await import('./devnet.js')).devnetCommand,
  [
    '--host   address to listen on (default 127.0.0.1; 0.0.0.0 for bots on other machines)',
    "--port   gRPC port (default 50052; 0 picks a free one). DEVNET_PORT is npm start's own devnet, not this one",
    '--chain  keep the chain in this file (one line per block) so a restart continues it; in memory without',
    'Reads DEVNET_MNEMONIC, DEVNET_BLOCK_MS and DEVNET_UNBOND_INTERVAL (.env or the environment). Runs until Ctrl-C.',
  ],
);

registerCommand(
  'intent',
  'intent ["<message>"]                     how the rules model reads a message (JSON)',
  async () => (await import('./intent.js')).intentCommand,
  [
    'Without a message, reads one per line from stdin and prints one JSON line each.',
    '--network  mainnet or testnet, how addresses are read (default PACTUS_NETWORK, else testnet)',
  ],
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
  [
    '--deployment  the operator address you trust (learned elsewhere), or its manifest or history (<signer url>/deployment.json)',
    '--node        a Pactus node you trust, to check the anchors and the snapshot on chain (without it: "not checked:" lines)',
    "--receipt     a voter's ballot receipt instead of the whole bundle",
    'Exit 0 VERIFIED, 1 NOT VERIFIED (one "problem:" line each), 2 NOT FINAL, 3 COULD NOT CHECK (command line, unreadable file, silent node).',
  ],
);

registerCommand(
  'rewards:payout',
  'rewards:payout [--dry-run]                draft reward payouts for the pool operator',
  async () => (await import('./rewards-payout.js')).rewardsPayoutCommand,
  [
    '--dry-run  print the plan (recipients, amounts, what is held and why) and draft nothing',
    "Reads the running bot's DATABASE_URL, PACTUS_GRPC (required: the CLI starts no devnet of its own) and",
    'REWARDS_POOL_ADDRESS. On npm start\'s embedded devnet, ask the bot "rewards payout" in the console instead.',
  ],
);

registerCommand(
  'wasm:check',
  'wasm:check <file.wasm|file.wat> [--call "fn(args); ..."]  check a WASM contract (and simulate calls) as JSON',
  async () => (await import('./wasm-check.js')).wasmCheckCommand,
  [
    '--call  calls to simulate in order, e.g. "increment(); get()"; storage carries over between them',
    'Exit 0 when the contract passes, 1 when it does not or cannot be checked, 2 for a wrong command line.',
  ],
);

registerCommand(
  'contribute',
  'contribute --key <file> (--model <gguf> | --upstream <url> --model-hash <sha256>) [--port N] [--host H] [--public-url URL] [--model-name NAME]  serve inference as a PIP-44 contributor',
  async () => (await import('./contribute.js')).contributeCommand,
  [
    "--key         a file holding your validator's BLS private key (SECRET1... / TSECRET1...); its stake admits you",
    '--model       a GGUF to serve in this process, or --upstream an OpenAI-compatible server plus --model-hash (SHA-256 of its GGUF)',
    '--port        where to listen (default 8090), --host (default 127.0.0.1), --public-url what the bot reaches',
    '--model-name  the model name to ask the upstream for; --threads llama.cpp threads with --model (default: all cores)',
  ],
);

registerCommand(
  'verify-epoch',
  'verify-epoch <bundle.json | proofs.json> --deployment <operator address | manifest> [--node host:port]  re-verify a compute epoch, or your receipts in it',
  async () => (await import('./verify-epoch.js')).verifyEpochCommand,
  [
    '--deployment  the operator address you trust, or its manifest or history (<signer url>/deployment.json)',
    "--node        a Pactus node you trust: anchors, contributors' stake and receipt dates are checked on chain",
    'Exit 0 VERIFIED, 1 NOT VERIFIED, 2 NOT FINAL (not anchored yet), 3 COULD NOT CHECK (command line, unreadable file, silent node).',
  ],
);

registerCommand(
  'compute:simulate',
  'compute:simulate [--blocks N --contributors M ...]  replay PIP-44 reward halving: fairness, cheater, sybil',
  async () => (await import('./compute-simulate.js')).computeSimulateCommand,
  [
    '--blocks N        epoch length in blocks (default 8640); --requests R: requests per block (default 11)',
    '--contributors M  contributors in the epoch, the cheater among them (default 6, 4 to 100)',
    '--spot-check R    share of requests re-run (default 0.05); --cheat-rate C: answers the cheater alters (default 0.2)',
    '--sybil-split K   identities one stake is split into (default 4); --sybil-stake F: that stake in floors (default 2)',
    '--seed S          the random seed, to replay a run (default 44)',
  ],
);

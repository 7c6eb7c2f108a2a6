// Subcommands that need more of the application; loaded lazily by main.ts so `decode` stays fast.
import { registerCommand } from './main.js';

registerCommand(
  'devnet',
  'devnet [--port N]                         run the embedded devnet node',
  async () => (await import('./devnet.js')).devnetCommand,
);

registerCommand(
  'intent',
  'intent ["<message>"]                     how the rules model reads a message (JSON)',
  async () => (await import('./intent.js')).intentCommand,
);

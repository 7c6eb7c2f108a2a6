import { NodeUnavailable } from '../chain/errors.js';
import { NetworkMismatch } from '../chain/health.js';
import { DatabaseOpenError, dialectOfUrl, redactUrl } from '../db/connection.js';
import { ConfigError, type Config } from './config.js';

/** What a Node error carries about a failed listen or file access. */
interface SystemError {
  code?: string;
  port?: number;
  address?: string;
  path?: string;
  message: string;
}

const portOwners = (config: Config): [number, string, string][] => [
  [config.SIGNER_PORT, 'SIGNER_PORT', 'the signer page'],
  [config.TELEGRAM_WEBHOOK_PORT, 'TELEGRAM_WEBHOOK_PORT', "Telegram's webhook receiver"],
  [config.DEVNET_PORT, 'DEVNET_PORT', 'the embedded devnet'],
];

/**
 * A start-up failure in plain words: what could not be done, and which setting changes it. Null for anything
 * unexpected (a bug), which is reported as such.
 */
export function explainStartupError(error: unknown, config: Config): string | null {
  // A setting only the node's answer could show wrong (an address of the other network): already one sentence.
  if (error instanceof ConfigError) return error.message;
  const e = error as SystemError;
  if (e?.code === 'EADDRINUSE' || /EADDRINUSE/.test(e?.message ?? '')) {
    const port = e.port ?? Number(/:(\d+)\]?$/.exec(e.message)?.[1] ?? NaN);
    const host = e.address ?? '127.0.0.1';
    const grpc = /No address added/.test(e.message);
    const owner = grpc
      ? portOwners(config).find(([, name]) => name === 'DEVNET_PORT')
      : portOwners(config).find(([p]) => p === port);
    const [, variable, what] = owner ?? [port, 'its port setting', 'the bot'];
    return `Port ${host}:${port} is already in use, so ${what} cannot listen there. Stop the other program, or set ${variable} to a free port${variable === 'DEVNET_PORT' ? ' (0 picks one)' : ''}.`;
  }
  if (error instanceof DatabaseOpenError && dialectOfUrl(error.url) === 'postgres') {
    const cause = error.cause as SystemError;
    return `PostgreSQL at ${redactUrl(error.url)} cannot be used (${cause?.code ?? cause?.message ?? 'unknown error'}). Check DATABASE_URL (postgres://user:password@host:port/database) and that the server is running and reachable.`;
  }
  if (error instanceof DatabaseOpenError) {
    const cause = error.cause as SystemError;
    return `The database ${error.url} cannot be opened or created (${cause?.code ?? cause?.message ?? 'unknown error'}). Set DATABASE_URL to a file in a writable folder.`;
  }
  if (e?.path && e.code && ['EEXIST', 'ENOTDIR', 'EACCES', 'EROFS', 'ENOENT', 'EPERM'].includes(e.code))
    return `${e.path} cannot be created or written (${e.code}). The database (DATABASE_URL) and the devnet's chain file (DEVNET_CHAIN_FILE, next to the database by default) need a writable folder.`;
  // Its message is already the one sentence: what PACTUS_NETWORK says, what the node serves, what to change.
  if (error instanceof NetworkMismatch) return error.message;
  if (error instanceof NodeUnavailable)
    return `The Pactus node at ${config.PACTUS_GRPC ?? 'the embedded devnet'} cannot be reached (${error.detail}). Check PACTUS_GRPC (host:port of a node with gRPC enabled), or unset it to use the embedded devnet.`;
  return null;
}

/** Checks that need no I/O beyond a stat, done before anything starts. */
export function modelFileProblem(config: Config, exists: (path: string) => boolean): string | null {
  if (config.LLM_MODEL_PATH && !exists(config.LLM_MODEL_PATH))
    return `There is no model file at ${config.LLM_MODEL_PATH} (LLM_MODEL_PATH). Download a GGUF first (see README, "Using a real model"), or unset LLM_MODEL_PATH to use the rules model.`;
  return null;
}

export type PlatformName = 'discord' | 'telegram';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
]);

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  errno?: unknown;
  cause?: unknown;
  description?: unknown;
  response?: { error_code?: unknown; description?: unknown };
}

/** The network error code somewhere in the error or its causes (undici and node-fetch nest them). */
function networkCode(error: unknown, depth = 0): string | null {
  if (!error || typeof error !== 'object' || depth > 4) return null;
  const e = error as ErrorFields;
  for (const code of [e.code, e.errno]) if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  return networkCode(e.cause, depth + 1);
}

/**
 * A platform that refuses the bot's token or cannot be reached at start-up: the sentence naming the setting, or
 * null when it is not one the person can fix by settings.
 */
export function platformStartFailure(platform: PlatformName, error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as ErrorFields;
  const network = networkCode(error);
  if (platform === 'telegram') {
    // telegraf's TelegramError carries the Bot API's answer (core/network/error.ts): 401 for a wrong token, 404 for
    // one that is not a token at all.
    // (Matched by shape: its name property is plain 'Error', and importing telegraf here would load it for all.)
    const status = e.response?.error_code;
    const refused = typeof status === 'number';
    if (refused && (status === 401 || status === 404))
      return `Telegram refused TELEGRAM_TOKEN (${String(status)}: ${String(e.response?.description ?? 'Unauthorized')}): set it to the token @BotFather gave the bot.`;
    if (refused)
      return `Telegram answered ${String(status)} (${String(e.response?.description ?? '')}) when the bot started; check TELEGRAM_TOKEN and TELEGRAM_WEBHOOK_URL.`;
    if (network)
      return `Telegram's Bot API (TELEGRAM_API_ROOT, or api.telegram.org) cannot be reached (${network}): check this machine's network, then start again.`;
    return null;
  }
  // discord.js: DiscordjsError codes (errors/ErrorCodes.js) and DiscordAPIError's HTTP status.
  if (e.code === 'TokenInvalid' || e.status === 401)
    return 'Discord refused DISCORD_TOKEN (an invalid token): set it to the token on the Bot page of your application in the Discord Developer Portal.';
  if (e.code === 'DisallowedIntents')
    return "Discord refused the bot's privileged intents: turn on Message Content Intent on the Bot page of your application in the Discord Developer Portal.";
  if (network)
    return `Discord (DISCORD_API_URL, or discord.com) cannot be reached (${network}): check this machine's network, then start again.`;
  return null;
}

import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseEndpoints } from '../chain/endpoints.js';
import { parseAddressAnyNetwork, parseAddressFor, type Address } from '../pactus/address.js';
import { AddressError } from '../pactus/errors.js';
import { parsePac } from '../pactus/amount.js';
import { isValidMnemonic } from '../pactus/hd.js';
import { parsePublicKey } from '../pactus/keys.js';
import type { Network } from '../pactus/network.js';
import { MAX_REWARD, MIN_REWARD } from '../rewards/config.js';

// Every message below completes "<VARIABLE> ...": a person reads it at start-up, so it says what to write in plain
// words (never zod's own "expected number, received NaN").
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
  const must = `must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}`;
  return z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== '' ? Number(v) : fallback))
    .pipe(z.number({ error: must }).int({ error: must }).min(min, must).max(max, must));
};
/** A share from 0 to 1, e.g. 0.05. */
const fraction = (fallback: number) => {
  const must = 'must be a number from 0 to 1, such as 0.05';
  return z.coerce.number({ error: must }).min(0, must).max(1, must).optional().default(fallback);
};
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** An amount of PAC, read exactly as the chat reads one (pactus/amount.ts), kept as text for the code that uses it. */
const pac = (fallback: string, range?: { min: bigint; max: bigint; why: string }) =>
  z
    .string()
    .optional()
    .default(fallback)
    .superRefine((text, ctx) => {
      let nano: bigint;
      try {
        nano = parsePac(text);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `must be an amount of PAC in digits, such as ${fallback}: ${(error as Error).message}`,
        });
        return;
      }
      if (range && (nano < range.min || nano > range.max))
        ctx.addIssue({ code: 'custom', message: range.why });
    });
const rewardRange = {
  min: MIN_REWARD,
  max: MAX_REWARD,
  why: 'must be from 0.001 to 0.01 PAC, the range PIP-44 sets for one interaction',
};

/** An account address (the operator, a pool): checked here so a typo is a sentence at start-up. */
const accountAddress = optional.superRefine((text, ctx) => {
  if (text === undefined) return;
  try {
    if (!parseAddressAnyNetwork(text).address.isAccount())
      ctx.addIssue({
        code: 'custom',
        message: 'is a validator address (pc1p.../tpc1p...); write an account address (pc1z.../tpc1z...)',
      });
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a Pactus account address: ${(error as Error).message}`,
    });
  }
});

/**
 * How many reverse proxies stand in front of the signer server, as Fastify's `trustProxy` takes it: a number of
 * hops N (the client is the Nth address from the right of X-Forwarded-For, never one the client wrote), or the
 * proxies' own addresses/CIDRs. "true" means one proxy: trusting every hop would let anyone choose their address.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx): false | number | string => {
    const value = (v ?? '').trim().toLowerCase();
    if (['', 'false', 'no', '0'].includes(value)) return false;
    if (['true', 'yes'].includes(value)) return 1;
    if (/^[1-9][0-9]?$/.test(value)) return Number(value);
    const list = value.split(',').map((a) => a.trim());
    const proxy = (a: string) => {
      const [address, bits, ...rest] = a.split('/');
      const family = isIP(address ?? '');
      return (
        family !== 0 &&
        rest.length === 0 &&
        (bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)))
      );
    };
    if (list.every(proxy)) return list.join(',');
    ctx.addIssue({
      code: 'custom',
      message:
        'must be the number of reverse proxies in front of the signer (1 for one), a comma-separated list of their addresses or CIDRs, or false',
    });
    return z.NEVER;
  });

/** Every environment variable the bot reads (documented in .env.example). */
export const configSchema = z.object({
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  DATABASE_URL: optional,
  PACTUS_GRPC: optional,
  PACTUS_GRPC_TLS: bool,
  PACTUS_GRPC_BASIC_AUTH: optional,
  PACTUS_GRPC_DEADLINE_MS: int(5000, 100, 120_000),
  PACTUS_NETWORK: oneOf(['mainnet', 'testnet']).optional(),
  // The reason never quotes a word: someone may paste a real phrase here by mistake.
  DEVNET_MNEMONIC: optional.refine(
    (v) => v === undefined || isValidMnemonic(v),
    'must be a recovery phrase of 12 or 24 BIP-39 English words with a correct checksum (unset it for the public test phrase)',
  ),
  DEVNET_BLOCK_MS: int(1000, 50, 60_000),
  DEVNET_PORT: int(0, 0, 65535),
  DEVNET_UNBOND_INTERVAL: int(20, 1, 1_000_000),
  DEVNET_CHAIN_FILE: optional,
  SIGNER_HOST: z.string().optional().default('127.0.0.1'),
  SIGNER_PORT: int(8787, 0, 65535),
  SIGNER_PUBLIC_URL: optional.refine(
    (v) => v === undefined || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)),
    'must be the address people open the signer page at, such as https://sign.example.org',
  ),
  SIGNER_TRUST_PROXY: trustProxy,
  LINK_TTL_MINUTES: int(15, 1, 24 * 60),
  BOT_ADMINS: optional,
  /** The deployment's operator: it anchors the manifest, proposal results and compute epochs. */
  OPERATOR_ADDRESS: accountAddress,
  LLM_MODEL_PATH: optional,
  LLM_THREADS: int(availableParallelism(), 1, 256),
  LLM_CONTEXT_SIZE: int(4096, 512, 131_072),
  LLM_TIMEOUT_MS: int(60_000, 1000, 600_000),
  LLM_MAX_STEPS: int(4, 1, 20),
  /** Unset: chosen from LLM_THREADS (defaultParallel in agents/models/llama-runtime.ts). */
  LLM_PARALLEL: int(0, 0, 64),
  /** People whose conversation stays in the model's cache (at least LLM_PARALLEL). */
  LLM_SEQUENCES: int(4, 1, 64),
  LLM_QUEUE_WAIT_MS: int(9000, 0, 600_000),
  LLM_ENDPOINTS: optional,
  LLM_MODEL_NAME: z.string().optional().default('default'),
  COMPUTE_MODELS: optional,
  /** Each approved model's tokenizer: "<sha256>=<GGUF path | qwen2.5>" (compute/tokenizer.ts). */
  COMPUTE_TOKENIZERS: optional,
  COMPUTE_MIN_STAKE_PAC: pac('100'),
  COMPUTE_EPOCH_BLOCKS: int(8640, 1, 10_000_000),
  COMPUTE_REWARD_PER_BLOCK_PAC: pac('0.35'),
  COMPUTE_POOL_ADDRESS: accountAddress,
  COMPUTE_SPOT_CHECK_RATE: fraction(0.05),
  /** Threads checking receipt signatures; 0 means one fewer than the machine's cores (at least one). */
  COMPUTE_VERIFY_THREADS: int(0, 0, 64),
  CONSOLE: optional,
  /** Messages a person may send at once, and how fast that allowance comes back (bot/core/rate-limit.ts). */
  RATE_LIMIT_BURST: int(8, 1, 1000),
  RATE_LIMIT_PER_MINUTE: int(20, 1, 6000),
  /**
   * How long a process's claim on the notifications it is delivering lasts without renewal: how soon another
   * process sends what a process that died or froze was holding (bot/core/delivery.ts).
   */
  OUTBOX_CLAIM_SECONDS: int(15, 2, 600),
  DISCORD_TOKEN: optional,
  DISCORD_APP_ID: optional,
  DISCORD_GUILD_ID: optional,
  DISCORD_API_URL: optional,
  DISCORD_GOV_CHANNEL_ID: optional,
  /** One process per shard (discord.js ShardingManager): "auto" (Discord's recommendation) or a count. */
  DISCORD_SHARDS: optional.refine(
    (v) => v === undefined || /^(auto|[1-9][0-9]{0,3})$/.test(v),
    'must be "auto" or a number of shards from 1 to 9999',
  ),
  TELEGRAM_TOKEN: optional,
  TELEGRAM_WEBHOOK_URL: optional,
  // Telegram's setWebhook takes 1-256 of these characters (core.telegram.org/bots/api#setwebhook).
  TELEGRAM_WEBHOOK_SECRET: optional.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v),
    'must be 1 to 256 of the characters A-Z, a-z, 0-9, _ and - (Telegram refuses any other)',
  ),
  TELEGRAM_WEBHOOK_PORT: int(8788, 0, 65535),
  TELEGRAM_WEBHOOK_HOST: z.string().optional().default('127.0.0.1'),
  /** setWebhook's max_connections: updates Telegram posts at once, across all workers (1-100). */
  TELEGRAM_WEBHOOK_MAX_CONNECTIONS: int(40, 1, 100),
  TELEGRAM_API_ROOT: optional,
  TELEGRAM_GOV_CHAT_ID: optional,
  GOV_PROPOSE_MIN_PAC: pac('100'),
  GOV_VOTE_MIN_PAC: pac('10'),
  GOV_BALLOT_CAP_PAC: pac('420000'),
  GOV_QUORUM_PERCENT: int(10, 0, 100),
  GOV_TEAM_KEYS: optional.superRefine((list, ctx) => {
    const keys = (list ?? '').split(',').map((k) => k.trim());
    keys.forEach((key, i) => {
      try {
        if (key !== '') parsePublicKey(key);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `must be public keys (public1.../tpublic1...) separated by commas; key ${i + 1} of ${keys.length} is not one`,
        });
      }
    });
  }),
  GOV_VETO_THRESHOLD: int(1, 1, 100),
  GOV_VETO_WINDOW_HOURS: int(72, 0, 24 * 365),
  GOV_MIN_DURATION_MINUTES: int(60, 0, 60 * 24 * 365),
  GOV_MAX_DURATION_DAYS: int(30, 1, 365),
  GOV_TALLY_EDIT_SECONDS: int(60, 0, 86_400),
  GOV_REMINDER_MINUTES: int(1440, 0, 60 * 24 * 365),
  ALERT_AVAILABILITY_MIN: fraction(0.666667),
  REWARDS_POOL_ADDRESS: accountAddress,
  REWARDS_QUESTION_PAC: pac('0.001', rewardRange),
  REWARDS_TRANSACTION_PAC: pac('0.005', rewardRange),
  REWARDS_VOTE_PAC: pac('0.01', rewardRange),
  REWARDS_DAILY_CAP_PAC: pac('0.05'),
  REWARDS_DAILY_BUDGET_PAC: pac('10'),
  REWARDS_PERSON_DAILY_CAP_PAC: pac('0.05'),
  REWARDS_MIN_WEIGHT_PAC: pac('1'),
  REWARDS_MIN_PAYOUT_PAC: pac('0.05'),
  REWARDS_COOLDOWN_SECONDS: int(60, 0, 86_400),
  LINKS_PER_DAY: int(5, 1, 1000),
  // A person's limits and undo window (wallet/limits, wallet/undo); people set their own in a DM.
  UNDO_SECONDS: int(10, 0, 300),
  LIMITS_LOOSEN_DELAY_HOURS: int(24, 1, 24 * 30),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/**
 * An account address from a setting, on the network known only once the node answered (PACTUS_GRPC without
 * PACTUS_NETWORK): a wrong one is a ConfigError naming the variable, not an AddressError's stack at start-up.
 */
export function settingAddress(name: string, value: string, network: Network): Address {
  try {
    return parseAddressFor(value, network, 'account');
  } catch (error) {
    if (!(error instanceof AddressError)) throw error;
    throw new ConfigError(`${name}: ${error.message}`);
  }
}

/**
 * Variables whose value an error never repeats: a token, a password (DATABASE_URL may carry one), a phrase. The
 * others are repeated so the person sees what the bot read (a stray quote, a unit after a number).
 */
const SECRET_VALUE = /TOKEN|SECRET|MNEMONIC|AUTH|DATABASE_URL/;

/** One line per problem: the variable, what it holds (unless secret) and what to write instead. */
function problemLine(name: string, value: string | undefined, message: string): string {
  const shown =
    value === undefined || SECRET_VALUE.test(name)
      ? name
      : `${name}=${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `  ${shown} ${message.replace(/\.$/, '')}.`;
}

/** Parses the set (non-empty) variables with `schema`, or throws one sentence per problem. */
function parseOrExplain<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  // An empty value means unset for every variable, as a copied .env.example (`PACTUS_NETWORK=`) intends.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(set);
  if (parsed.success) return parsed.data;
  // One line per variable: a value can fail several checks that say the same thing (-1e20 is neither whole nor large
  // enough), and the first says what to write.
  const first = new Map<string, string>();
  for (const issue of parsed.error.issues)
    if (!first.has(String(issue.path[0]))) first.set(String(issue.path[0]), issue.message);
  throw new ConfigError(
    `Invalid configuration (see .env.example):\n${[...first]
      .map(([name, message]) => problemLine(name, set[name], message))
      .join('\n')}`,
  );
}

/** The network the bot will run on when the configuration alone says so: PACTUS_NETWORK, or the devnet's. */
function knownNetwork(config: Config): Network | null {
  return config.PACTUS_NETWORK ?? (config.PACTUS_GRPC ? null : 'testnet');
}

/** Reads and validates the environment; a wrong value stops start-up with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = parseOrExplain(configSchema, env);
  const network = knownNetwork(config);
  const wrongNetwork = (
    ['OPERATOR_ADDRESS', 'REWARDS_POOL_ADDRESS', 'COMPUTE_POOL_ADDRESS'] as const
  ).flatMap((name) => {
    const value = config[name];
    const of = value === undefined ? null : parseAddressAnyNetwork(value).network;
    return network && of && of !== network
      ? [
          problemLine(
            name,
            value,
            `is a ${of} address, but the bot runs on ${network}${config.PACTUS_GRPC ? '' : ' (the embedded devnet)'}`,
          ),
        ]
      : [];
  });
  if (wrongNetwork.length)
    throw new ConfigError(`Invalid configuration (see .env.example):\n${wrongNetwork.join('\n')}`);
  if (/^postgres(ql)?:\/\//.test(config.DATABASE_URL ?? '') && !config.PACTUS_GRPC)
    throw new ConfigError(
      'DATABASE_URL is PostgreSQL, which is how several bot processes share one database; the embedded devnet lives ' +
        'inside one process, so each process would run a chain of its own. Set PACTUS_GRPC to one node for all of ' +
        'them (a Pactus node with gRPC, or `npx pactus-bot devnet --port 50051 --chain devnet.jsonl`).',
    );
  if (config.PACTUS_GRPC) {
    // The same check the client makes, here so that a wrong value is a sentence at start-up, not a stack trace.
    try {
      parseEndpoints(config.PACTUS_GRPC);
    } catch (error) {
      throw new ConfigError(
        `${(error as Error).message} Write host:port, e.g. 127.0.0.1:50051 (comma-separated for several).`,
      );
    }
  }
  return config;
}

/**
 * Some variables only, checked as `npm start` checks them: for CLI commands that need a few settings and run apart
 * from the bot (a standalone devnet, a contributor node), whose other settings (a PostgreSQL DATABASE_URL without
 * PACTUS_GRPC, say) are not their business.
 */
export function loadConfigPart<K extends keyof Config>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<Config, K> {
  const config = parseOrExplain(configSchema, Object.fromEntries(names.map((name) => [name, env[name]])));
  return Object.fromEntries(names.map((name) => [name, config[name]])) as Pick<Config, K>;
}

/** What `npx pactus-bot devnet` reads. */
export const loadDevnetConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfigPart(['DEVNET_MNEMONIC', 'DEVNET_BLOCK_MS', 'DEVNET_UNBOND_INTERVAL'], env);

/** "discord:123,telegram:456" -> a set of platform:user ids. */
export function parseAdmins(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

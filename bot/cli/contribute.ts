import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import {
  createContributorServer,
  upstreamEngine,
  type Engine,
  type Prewarm,
} from '../../compute/contributor.js';
import { parsePrivateKey, type PrivateKey } from '../../pactus/keys.js';
import { loadConfigPart } from '../config.js';
import { argsProblem, fileProblem } from './args.js';
import type { Command } from './main.js';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What contribute accepts (its --help names each). */
export const CONTRIBUTE_OPTIONS = {
  key: { type: 'string' },
  model: { type: 'string' },
  upstream: { type: 'string' },
  'model-hash': { type: 'string' },
  'model-name': { type: 'string' },
  port: { type: 'string', default: '8090' },
  host: { type: 'string', default: '127.0.0.1' },
  'public-url': { type: 'string' },
  threads: { type: 'string' },
} as const;

const USAGE =
  'usage: pactus-bot contribute --key <file> (--model <file.gguf> | --upstream <url> --model-hash <sha256>) [--port N] [--host H] [--public-url URL] [--model-name NAME]';

/**
 * `pactus-bot contribute`: serves the bot's inference as a PIP-44 contributor. With --model the GGUF runs in this
 * process (node-llama-cpp); with --upstream an existing OpenAI-compatible server does the work and this node adds
 * receipts (--model-hash, or --model pointing at the file the upstream serves, names the model). The key file holds
 * the validator's BLS private key (TSECRET1... / SECRET1...): its stake is what the pool's sybil floor checks.
 * CONTRIBUTOR_POOL_TOKEN (a secret shared with the pool's operator, who lists this node as
 * http://pool:<token>@host:port in LLM_ENDPOINTS) makes it answer that pool only.
 */
export const contributeCommand: Command = async (args, io) => {
  let values;
  try {
    values = parseArgs({
      args,
      options: CONTRIBUTE_OPTIONS,
    }).values;
  } catch (error) {
    io.err(`error: ${argsProblem(error)}\n${USAGE}`);
    return 1;
  }
  if (!values.key || (!values.model && !values.upstream)) {
    io.err(USAGE);
    return 1;
  }
  let key: PrivateKey;
  let network;
  let keyText: string;
  try {
    keyText = await readFile(values.key, 'utf8');
  } catch (error) {
    io.err(`error: cannot read the key file ${values.key}: ${fileProblem(error)}`);
    return 1;
  }
  try {
    ({ key, network } = parsePrivateKey(keyText.trim()));
    if (key.scheme !== 'bls')
      throw new Error('a contributor signs with its validator key, which is a BLS key');
  } catch (error) {
    // The message never contains the key itself.
    io.err(`error: the key file ${values.key} holds no usable private key: ${(error as Error).message}`);
    return 1;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err('error: --port must be 0-65535');
    return 1;
  }
  // LOG_LEVEL as `npm start` reads it: checked, and empty (a copied .env.example) means the default.
  const logger = pino({ level: loadConfigPart(['LOG_LEVEL']).LOG_LEVEL });
  let modelHash = values['model-hash']?.toLowerCase();
  if (values.model) modelHash = await sha256File(values.model).catch(() => undefined);
  if (!modelHash || !/^[0-9a-f]{64}$/.test(modelHash)) {
    io.err(
      values.model
        ? `error: cannot read ${values.model}`
        : 'error: --upstream needs --model-hash <sha256 of the GGUF>',
    );
    return 1;
  }
  const model = values['model-name'] ?? (values.model ? values.model.split('/').pop()! : 'upstream');
  let engine: Engine;
  let prewarm: Prewarm | undefined;
  let close = async () => undefined as void;
  if (values.upstream) engine = upstreamEngine(values.upstream);
  else {
    const [{ LlamaRuntime }, { llamaEngine, llamaPrewarm }] = await Promise.all([
      import('../../agents/models/llama-model.js'),
      import('./contribute-engine.js'),
    ]);
    const threads = Number(values.threads ?? availableParallelism());
    const runtime = await LlamaRuntime.load({ modelPath: values.model!, threads, contextSize: 4096 }, logger);
    engine = llamaEngine(runtime, model);
    prewarm = llamaPrewarm(runtime);
    close = () => runtime.dispose();
  }
  const publicUrl = values['public-url'] ?? `http://${values.host}:${port}`;
  // From the environment, not an argument: arguments show in every process listing.
  const poolToken = process.env.CONTRIBUTOR_POOL_TOKEN || undefined;
  if (!poolToken)
    logger.warn(
      'CONTRIBUTOR_POOL_TOKEN is not set: anyone who reaches this node is answered, and another contributor could pass its answers off as its own work',
    );
  const app = await createContributorServer({
    key,
    network,
    engine,
    prewarm,
    model,
    modelHash,
    publicUrl,
    logger,
    poolToken,
  });
  const address = await app.listen({ host: values.host, port });
  io.out(
    `contributing as ${key.publicKey().validatorAddress().toString(network)} on ${address} (model ${model}, ${modelHash})`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await close();
  return 0;
};

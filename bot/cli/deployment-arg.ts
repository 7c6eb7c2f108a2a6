// The verifiers' inputs: a file or URL to read, and `--deployment`, the one thing a verifier must bring itself (an
// operator address it trusts, or that operator's manifest or history), checked against the chain with --node.
import { readShape } from '../../deployment/shape.js';
import {
  versionInForce,
  historySchema,
  historyProblems,
  manifestHash,
  manifestSchema,
  recordSchema,
} from '../../deployment/manifest.js';
import type { ManifestRecord } from '../../deployment/manifest.js';
import type { Trust } from '../../deployment/verify.js';
import { parseAddressAnyNetwork } from '../../pactus/address.js';
import type { Network } from '../../pactus/network.js';
import { anchorOnChain } from './anchor-on-chain.js';
import { fetchProblem, fileProblem } from './args.js';
import type { ChainView } from './chain-view.js';
import { InputError, readVerifiable } from './verify-input.js';

export type LoadJson = (source: string) => Promise<unknown>;

/**
 * A local file, or an http(s) URL (a bot's signer server), as the one JSON value it can mean (verify-input.ts);
 * a file or a server that cannot be read is said in words, not as ENOENT or "fetch failed".
 */
export const loadJson: LoadJson = async (source) => {
  try {
    return await readVerifiable(source);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const problem = /^https?:\/\//i.test(source) ? fetchProblem(error) : fileProblem(error);
    throw new Error(problem, { cause: error });
  }
};

export const DEPLOYMENT_HELP =
  '--deployment <operator address | manifest or history file | its URL, e.g. <bot url>/deployment.json>';

/**
 * `--deployment`: an account address (the operator), or a manifest, a published version or the whole history
 * (GET /deployment.json), from a file or URL. A problem in words when it is none of these.
 */
export async function resolveTrust(
  arg: string,
  load: LoadJson,
): Promise<{ trust: Trust } | { problem: string }> {
  if (/^t?pc1/i.test(arg.trim())) {
    try {
      const parsed = parseAddressAnyNetwork(arg);
      if (!parsed.address.isAccount())
        return {
          problem: `--deployment ${arg} is a validator address; a deployment's operator is an account`,
        };
      return { trust: { operator: parsed.address.toString(parsed.network), known: [], complete: false } };
    } catch (error) {
      return { problem: `--deployment: ${(error as Error).message}` };
    }
  }
  let json: unknown;
  try {
    json = await load(arg);
  } catch (error) {
    return {
      problem: `--deployment ${arg} is neither an operator address (pc1z.../tpc1z...) nor a manifest or history that can be read: ${(error as Error).message}`,
    };
  }
  const history = readShape(historySchema, json, `the deployment history ${arg}`);
  if (history.ok) {
    const problems = historyProblems(history.value);
    if (problems.length)
      return { problem: `the deployment history ${arg} is inconsistent: ${problems.join('; ')}` };
    return { trust: { operator: history.value.operator, known: history.value.versions, complete: true } };
  }
  const record = readShape(recordSchema, json, `the manifest ${arg}`);
  if (record.ok) {
    if (manifestHash(record.value.manifest) !== record.value.hash)
      return { problem: `the manifest ${arg} does not hash to the hash it is listed with` };
    return { trust: { operator: record.value.manifest.operator, known: [record.value], complete: false } };
  }
  const manifest = readShape(manifestSchema, json, `the manifest ${arg}`);
  if (manifest.ok) {
    const only: ManifestRecord = {
      manifest: manifest.value,
      hash: manifestHash(manifest.value),
      anchor: null,
    };
    return { trust: { operator: manifest.value.operator, known: [only], complete: false } };
  }
  return {
    problem: `--deployment ${arg} is neither an operator address nor a deployment manifest or history (${history.problem})`,
  };
}

/**
 * The manifest version's anchor on chain (in force at the file's height: anchored at or before it, unless it is
 * version 1), and, given the history, the version in force decided by the heights the chain says.
 */
export async function deploymentOnChain(
  chain: ChainView,
  trust: Trust,
  record: ManifestRecord,
  network: Network,
  height: number,
): Promise<{ problems: string[]; anchoredAt: number | null }> {
  const m = record.manifest;
  if (!record.anchor) return { problems: [], anchoredAt: null };
  const expected = {
    kind: 'manifest' as const,
    subject: m.version,
    hash: record.hash,
    operator: trust.operator,
    network,
  };
  const { problems, height: anchoredAt } = await anchorOnChain(chain, record.anchor, expected, {
    ...(m.version > 1 && { notAfterHeight: height }),
  });
  if (trust.complete) {
    const heights = await Promise.all(
      trust.known.map(async (r) => {
        if (!r.anchor) return { version: r.manifest.version, height: null };
        const found = await chain.transaction(r.anchor.txId);
        return { version: r.manifest.version, height: found.state === 'committed' ? found.height : null };
      }),
    );
    const inForce = versionInForce(heights, height);
    if (inForce !== m.version)
      problems.push(
        `on chain, manifest version ${inForce} was in force at block ${height}, not version ${m.version}`,
      );
  }
  return { problems, anchoredAt };
}

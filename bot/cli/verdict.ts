// How both verifiers end: every problem named, what could not be checked said plainly, and one closing word with an
// exit status scripts can rely on: 0 VERIFIED (final), 1 NOT VERIFIED, 2 NOT FINAL (holds so far, not final),
// 3 COULD NOT CHECK (the command line, a file or server that cannot be read, a node that does not answer: nothing
// was found wrong with the result, and nothing was verified either).
import { parseArgs } from 'node:util';
import { checkDeployment, type Trust } from '../../deployment/verify.js';
import type { ManifestRecord } from '../../deployment/manifest.js';
import { networkOfChain } from '../../chain/types.js';
import type { Network } from '../../pactus/network.js';
import { argsProblem } from './args.js';
import type { CliIo } from './main.js';
import type { ChainView } from './chain-view.js';
import { nodeChainView, nodeProblem } from './chain-view.js';
import { DEPLOYMENT_HELP, loadJson, resolveTrust } from './deployment-arg.js';
import { InputError } from './verify-input.js';
import { NodeUnavailable } from '../../chain/errors.js';

export const EXIT = { verified: 0, refused: 1, notFinal: 2, cannotCheck: 3 } as const;

/** The --node stopped answering mid-run: what it was asked, in words (the run ends as COULD NOT CHECK). */
export class NodeUnreachable extends Error {}

export interface Verdict {
  problems: string[];
  unchecked: string[];
  /** Why it holds so far but is not final (open, inside its veto window, not anchored yet), or null. */
  notFinal: string | null;
  /** What could not be asked because a source did not answer (the --node): the result is neither. */
  unreachable?: string[];
}

export function report(io: CliIo, v: Verdict): number {
  for (const problem of v.problems) io.err(`problem: ${problem}`);
  for (const item of v.unchecked) io.out(`not checked: ${item}`);
  for (const item of v.unreachable ?? []) io.err(`could not check: ${item}`);
  if (v.problems.length) {
    io.out('NOT VERIFIED');
    return EXIT.refused;
  }
  if (v.unreachable?.length) {
    io.out('COULD NOT CHECK');
    return EXIT.cannotCheck;
  }
  if (v.notFinal) {
    io.out(`NOT FINAL: ${v.notFinal}`);
    return EXIT.notFinal;
  }
  io.out('VERIFIED');
  return EXIT.verified;
}

/** What tests and callers may give a verifier run instead of its defaults. */
export interface VerifyDeps {
  /** The node reader for --node (default: a gRPC client to it, closed at the end). */
  chain?: (endpoint: string) => ChainView;
  load?: (source: string) => Promise<unknown>;
  now?: () => number;
}

/**
 * Runs `use` with the chain view for --node (none without it), closing one it opened. A node that does not answer
 * (at first, or later: NodeUnreachable, the client's NodeUnavailable) goes into the verdict as unreachable.
 */
export async function withChain(
  node: string | undefined,
  deps: VerifyDeps,
  v: Verdict,
  use: (chain: ChainView | null) => Promise<void>,
): Promise<void> {
  if (!node) return use(null);
  const chain = deps.chain ? deps.chain(node) : nodeChainView(node);
  try {
    await use(chain);
  } catch (error) {
    if (!(error instanceof NodeUnreachable || error instanceof NodeUnavailable)) throw error;
    const detail = error instanceof NodeUnavailable ? error.detail : error.message;
    (v.unreachable ??= []).push(
      `${chain.endpoint} did not answer (${detail}), so nothing was asked of the chain`,
    );
  } finally {
    if (!deps.chain) chain.close();
  }
}

/**
 * The deployment a file names, checked against the one trusted (deployment/verify.ts): its problems and what could
 * not be checked go into the verdict; the record when it holds, or null.
 */
export function namedDeployment(
  v: Verdict,
  io: CliIo,
  input: Parameters<typeof checkDeployment>[0],
): ManifestRecord | null {
  const deployment = checkDeployment(input);
  v.problems.push(...deployment.problems);
  v.unchecked.push(...deployment.unchecked);
  const record = deployment.record;
  if (record)
    io.out(
      `deployment: ${record.manifest.operator}, manifest version ${record.manifest.version} (${record.hash})`,
    );
  return record;
}

/**
 * Whether the node serves the file's network: a transaction carries no chain id, so the operator's key signs the same
 * bytes on mainnet and testnet, and an anchor found on another network's chain proves nothing here. A problem in
 * words, or null.
 */
export async function wrongNetwork(chain: ChainView, network: Network): Promise<string | null> {
  let served;
  try {
    served = await chain.chain();
  } catch (error) {
    throw new NodeUnreachable(`asked which chain it serves: ${nodeProblem(error)}`);
  }
  return networkOfChain(served) === network
    ? null
    : `${chain.endpoint} serves ${served}, and the file is for ${network}: its blocks prove nothing about this file (give --node a ${network} node)`;
}

export const NO_NODE =
  'that the anchors are in blocks, when they were made, and the stake the file relies on (give --node <host:port of a Pactus node you trust>)';

export interface Started {
  /** The file (or URL) read, and what it holds. */
  source: string;
  json: unknown;
  trust: Trust;
  node: string | undefined;
  /** Options beyond --node and --deployment that were given (e.g. --receipt). */
  values: Record<string, string | undefined>;
}

/**
 * What every verifier run starts with: its arguments, the deployment the caller trusts (required: without it a
 * file could name any deployment, a forger's own included), and the file. An exit status when one of them fails.
 */
export async function startRun(
  args: string[],
  io: CliIo,
  deps: VerifyDeps,
  spec: {
    extra: string[];
    missing: string;
    source: (values: Record<string, string | undefined>, file?: string) => string | undefined;
  },
): Promise<Started | number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(
        ['node', 'deployment', ...spec.extra].map((o) => [o, { type: 'string' as const }]),
      ),
      allowPositionals: true,
    });
  } catch (error) {
    io.err(`error: ${argsProblem(error)}`);
    return EXIT.cannotCheck;
  }
  const values = parsed.values as Record<string, string | undefined>;
  const source = spec.source(values, parsed.positionals[0]);
  if (!source) {
    io.err(`error: give ${spec.missing}`);
    return EXIT.cannotCheck;
  }
  if (!values.deployment) {
    io.err(
      `error: give ${DEPLOYMENT_HELP}: without it a file could name any deployment, a forger's own included`,
    );
    return EXIT.cannotCheck;
  }
  const load = deps.load ?? loadJson;
  const resolved = await resolveTrust(values.deployment, load);
  if ('problem' in resolved) {
    io.err(`error: ${resolved.problem}`);
    // Without the identity the caller trusts there is nothing to check the file against.
    return EXIT.cannotCheck;
  }
  try {
    return { source, json: await load(source), trust: resolved.trust, node: values.node, values };
  } catch (error) {
    io.err(`error: cannot read ${source}: ${(error as Error).message}`);
    // A file read one way only and refused (two readings, not JSON) is NOT VERIFIED; one that cannot be read at all
    // (no such file, no answer) is not checked.
    return error instanceof InputError ? EXIT.refused : EXIT.cannotCheck;
  }
}

/** A file that cannot be checked at all (a value no bot writes, say): named, not a stack trace. */
export const unreadable = (io: CliIo, error: unknown) =>
  report(io, {
    problems: [`the file cannot be checked: ${(error as Error).message}`],
    unchecked: [],
    notFinal: null,
  });

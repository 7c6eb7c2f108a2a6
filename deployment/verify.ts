// Whether a bundle is under the deployment a verifier was told to trust, from the files alone: the version it
// names hashes to that manifest, the manifest is the operator's (its anchor's bytes are signed by the operator and
// commit to it), and, given the history, it was the version in force at the bundle's height. What needs the chain
// (that the anchors are in blocks, and which) is checked by the CLI with --node.
import type { Network } from '../pactus/network.js';
import { checkAnchorBytes } from './anchors.js';
import {
  manifestHash,
  versionInForce,
  type DeploymentRef,
  type Manifest,
  type ManifestRecord,
} from './manifest.js';

/** What the verifier was told (`--deployment`): the operator, and the versions it was shown, if any. */
export interface Trust {
  operator: string;
  /** Versions whose content the verifier was given (a manifest file, a history). */
  known: ManifestRecord[];
  /** True when `known` is the whole history (GET /deployment.json), so the version in force can be decided. */
  complete: boolean;
}

export interface DeploymentCheck {
  /** The version the bundle is under, when it could be established; its parameters are the ones to use. */
  record: ManifestRecord | null;
  problems: string[];
  /** What could not be checked from the files at hand, in words. */
  unchecked: string[];
}

export function checkDeployment(input: {
  ref: DeploymentRef | null;
  embedded: ManifestRecord | null;
  trust: Trust;
  /** The bundle's height: a proposal's snapshot, an epoch's first block. */
  height: number;
  network: Network;
}): DeploymentCheck {
  const { ref, trust, height, network } = input;
  const problems: string[] = [];
  const unchecked: string[] = [];
  const fail = (problem: string): DeploymentCheck => ({ record: null, problems: [problem], unchecked });
  if (!ref) return fail('the file names no deployment: nothing ties it to an operator');
  if (ref.operator !== trust.operator)
    return fail(`the file is under the deployment of ${ref.operator}, not of ${trust.operator}`);
  const known = trust.known.find((r) => r.manifest.version === ref.version);
  if (known && known.hash !== ref.manifest)
    return fail(
      `the file names manifest version ${ref.version} with hash ${ref.manifest}, but the deployment's version ${ref.version} hashes to ${known.hash}`,
    );
  const embedded = input.embedded;
  let record: ManifestRecord | null = known ?? null;
  if (embedded && embedded.hash === ref.manifest && manifestHash(embedded.manifest) === ref.manifest)
    record = record ? { ...record, anchor: record.anchor ?? embedded.anchor } : embedded;
  if (!record)
    return fail(
      `the manifest of version ${ref.version} (hash ${ref.manifest}) is neither in the file nor in what --deployment gave`,
    );
  const m: Manifest = record.manifest;
  if (manifestHash(m) !== ref.manifest)
    return fail(`manifest version ${ref.version} does not hash to ${ref.manifest}`);
  if (m.version !== ref.version)
    problems.push(`the manifest given for version ${ref.version} says it is version ${m.version}`);
  if (m.operator !== trust.operator)
    problems.push(`manifest version ${m.version} names the operator ${m.operator}`);
  if (m.network !== network)
    problems.push(`manifest version ${m.version} is for ${m.network}, the file for ${network}`);
  if (!record.anchor)
    problems.push(`manifest version ${m.version} is not anchored: nothing shows its operator published it`);
  else
    problems.push(
      ...checkAnchorBytes(record.anchor, {
        kind: 'manifest',
        subject: m.version,
        hash: ref.manifest,
        operator: trust.operator,
        network,
      }),
    );
  if (trust.complete) {
    const inForce = versionInForce(
      trust.known.map((r) => ({ version: r.manifest.version, height: r.anchor?.height ?? null })),
      height,
    );
    if (inForce !== ref.version)
      problems.push(
        `the file is under manifest version ${ref.version}, but version ${inForce} was in force at block ${height}`,
      );
    // A history is consistent on its own without its newest versions (test/unit/deployment/history-forgery.test.ts),
    // and a node cannot list an account's transactions: a version anchored but left out would not show.
    unchecked.push(
      'that the history lists every manifest version the operator anchored (one left out would not show here)',
    );
  } else
    unchecked.push(
      `that no newer manifest version was in force at block ${height} (give --deployment the history: <bot url>/deployment.json)`,
    );
  return { record: problems.length ? null : record, problems, unchecked };
}

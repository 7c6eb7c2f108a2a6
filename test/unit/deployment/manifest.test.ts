import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contentOf,
  historyProblems,
  manifestHash,
  nextManifest,
  refOf,
  versionInForce,
  HISTORY_FORMAT,
  type DeploymentHistory,
  type ManifestRecord,
} from '../../../deployment/manifest.js';
import { checkDeployment, type Trust } from '../../../deployment/verify.js';
import {
  anchoredRecord,
  operatorKey,
  operatorOf,
  signAnchor,
  testManifest,
} from '../../support/deployment.js';

const op = operatorKey(60);
const other = operatorKey(61);

/** Versions 1..n of one deployment, each anchored at the given height (null: not anchored). */
function history(heights: (number | null)[]): ManifestRecord[] {
  const records: ManifestRecord[] = [];
  heights.forEach((height, i) => {
    const manifest = testManifest(
      op,
      { governance: { ...testManifest(op).governance, quorumBps: 1000 + i } },
      records.at(-1)?.manifest ?? null,
    );
    const record = anchoredRecord(op, manifest, height);
    records.push(height === null ? { ...record, anchor: null } : record);
  });
  return records;
}

describe('manifest versions', () => {
  it('a new version only when the content changes, naming the one before', () => {
    const v1 = testManifest(op);
    expect(nextManifest(contentOf(v1), v1, 'later')).toBeNull();
    const v2 = nextManifest({ ...contentOf(v1), rewards: { pool: operatorOf(other) } }, v1, 'later')!;
    expect(v2).toMatchObject({ version: 2, previous: manifestHash(v1) });
  });

  it('the version in force at a height: the newest anchored at or before it, else version 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.nat(1000), { nil: null }), { minLength: 1, maxLength: 8 }),
        fc.nat(1100),
        (heights, at) => {
          const versions = heights.map((height, i) => ({ version: i + 1, height }));
          const eligible = versions.filter((v) => v.height !== null && v.height <= at).map((v) => v.version);
          expect(versionInForce(versions, at)).toBe(Math.max(1, ...eligible));
          // Later blocks never bring back an older version.
          expect(versionInForce(versions, at + 1)).toBeGreaterThanOrEqual(versionInForce(versions, at));
        },
      ),
    );
  });

  it('a history is one chain of versions: every reordering, gap, splice or foreign version is named', () => {
    const records = history([5, 20, 40]);
    const good: DeploymentHistory = { format: HISTORY_FORMAT, operator: operatorOf(op), versions: records };
    expect(historyProblems(good)).toEqual([]);
    const forged: [string, DeploymentHistory][] = [
      ['dropped middle', { ...good, versions: [records[0]!, records[2]!] }],
      ['reordered', { ...good, versions: [records[1]!, records[0]!, records[2]!] }],
      ['another operator', { ...good, operator: operatorOf(other) }],
      [
        'a foreign version',
        { ...good, versions: [...records.slice(0, 2), anchoredRecord(other, testManifest(other), 50)] },
      ],
      [
        'a hash that is not its manifest',
        { ...good, versions: [records[0]!, { ...records[1]!, hash: records[2]!.hash }, records[2]!] },
      ],
      ['empty', { ...good, versions: [] }],
      [
        "an anchor that is not the operator's",
        {
          ...good,
          versions: [
            records[0]!,
            { ...records[1]!, anchor: signAnchor(other, 'manifest', 2, records[1]!.hash) },
            records[2]!,
          ],
        },
      ],
      [
        'an anchor of another version',
        { ...good, versions: [records[0]!, { ...records[1]!, anchor: records[0]!.anchor }, records[2]!] },
      ],
    ];
    for (const [name, h] of forged) expect(historyProblems(h), name).not.toEqual([]);
  });
});

describe('a file under the deployment a verifier trusts', () => {
  const records = history([5, 20, 40]);
  const trustAddress: Trust = { operator: operatorOf(op), known: [], complete: false };
  const trustHistory: Trust = { operator: operatorOf(op), known: records, complete: true };
  const check = (ref: ManifestRecord, height: number, trust: Trust, embedded: ManifestRecord | null = ref) =>
    checkDeployment({ ref: refOf(ref), embedded, trust, height, network: 'testnet' });

  it('holds for the version in force, with the address alone or the history', () => {
    expect(check(records[1]!, 25, trustAddress)).toMatchObject({ problems: [], record: records[1] });
    expect(check(records[1]!, 25, trustAddress).unchecked.join()).toMatch(/no newer manifest version/);
    expect(check(records[1]!, 25, trustHistory)).toMatchObject({ problems: [] });
    expect(check(records[1]!, 25, trustHistory).unchecked).toEqual([
      'that the history lists every manifest version the operator anchored (one left out would not show here)',
    ]);
    // Before any anchor, version 1 is in force.
    expect(check(records[0]!, 1, trustHistory).problems).toEqual([]);
    // With the history, the file need not carry the manifest.
    expect(check(records[2]!, 40, trustHistory, null).problems).toEqual([]);
  });

  it('names a file under another deployment, another version, or a manifest that is not the one it names', () => {
    const theirs = anchoredRecord(other, testManifest(other), 3);
    const problems = (r: ReturnType<typeof check>) => r.problems.join('\n');
    expect(problems(check(theirs, 25, trustAddress))).toMatch(/under the deployment of tpc1\w+, not of/);
    expect(problems(check(records[0]!, 25, trustHistory))).toMatch(/version 2 was in force at block 25/);
    expect(problems(check(records[2]!, 25, trustHistory))).toMatch(/version 2 was in force at block 25/);
    expect(problems(check(records[1]!, 25, trustAddress, records[2]!))).toMatch(/neither in the file/);
    expect(
      problems(
        checkDeployment({
          ref: null,
          embedded: records[0]!,
          trust: trustAddress,
          height: 1,
          network: 'testnet',
        }),
      ),
    ).toMatch(/names no deployment/);
    // The forger's manifest under the real operator's name: it does not hash to what the ref names, or names another
    // operator, or its anchor is not the operator's.
    const impostor = anchoredRecord(other, { ...testManifest(other), operator: operatorOf(op) }, 3);
    expect(problems(check(impostor, 25, trustAddress))).toMatch(
      /manifest anchor was signed by tpc1\w+, not by/,
    );
    const unanchored = { ...records[1]!, anchor: null };
    expect(problems(check(unanchored, 25, trustAddress))).toMatch(/not anchored/);
    const misanchored = { ...records[1]!, anchor: signAnchor(op, 'manifest', 2, records[0]!.hash) };
    expect(problems(check(misanchored, 25, trustAddress))).toMatch(/commits to .* not what was anchored/);
    const knownOther: Trust = { ...trustAddress, known: [{ ...records[1]!, hash: records[0]!.hash }] };
    expect(problems(check(records[1]!, 25, knownOther))).toMatch(/deployment's version 2 hashes to/);
  });
});

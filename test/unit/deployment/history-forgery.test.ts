// A deployment's published history forged the way the hand-written cases in manifest.test.ts do not: every field of
// every version changed in turn, every version dropped, duplicated and swapped (forge.ts), and a second manifest
// under a version number already taken. Each must be named by historyProblems.
import { expect, it } from 'vitest';
import {
  historyProblems,
  HISTORY_FORMAT,
  type DeploymentHistory,
  type ManifestRecord,
} from '../../../deployment/manifest.js';
import { anchoredRecord, operatorKey, operatorOf, testManifest } from '../../support/deployment.js';
import { forgeries } from '../../support/forge.js';

const op = operatorKey(70);

function chain(n: number): ManifestRecord[] {
  const records: ManifestRecord[] = [];
  for (let i = 0; i < n; i++) {
    const manifest = testManifest(
      op,
      { governance: { ...testManifest(op).governance, quorumBps: 1000 + i } },
      records.at(-1)?.manifest ?? null,
    );
    records.push(anchoredRecord(op, manifest, 10 * (i + 1)));
  }
  return records;
}

it('every single-field or single-version forgery of a history is named', () => {
  const good: DeploymentHistory = { format: HISTORY_FORMAT, operator: operatorOf(op), versions: chain(3) };
  expect(historyProblems(good)).toEqual([]);
  const let_through: string[] = [];
  for (const { name, value } of forgeries(good)) {
    // Evidence a node settles (the block an anchor is in), and the format tag the schema checks on reading.
    if (/\.anchor\.height|^format|\.anchor = null/.test(name)) continue;
    let problems: string[];
    try {
      problems = historyProblems(value as DeploymentHistory);
    } catch (error) {
      problems = [`threw: ${(error as Error).message}`];
    }
    if (!problems.length) let_through.push(name);
  }
  // Only the newest version dropped passes: a true prefix of the history is consistent on its own, and only the
  // chain can show that a newer version was anchored since (see the report on freshness in deployment/verify.ts).
  expect(let_through).toEqual(['versions[2] dropped']);
});

it('a second manifest under a version number already taken is named, wherever it is put', () => {
  const records = chain(3);
  // The operator's own fork: another version 2 after the real one, properly anchored by the operator.
  const fork = anchoredRecord(
    op,
    testManifest(
      op,
      { governance: { ...testManifest(op).governance, quorumBps: 9999 } },
      records[0]!.manifest,
    ),
    25,
  );
  expect(fork.manifest.version).toBe(2);
  const h = (versions: ManifestRecord[]): DeploymentHistory => ({
    format: HISTORY_FORMAT,
    operator: operatorOf(op),
    versions,
  });
  for (const versions of [
    [records[0]!, records[1]!, fork, records[2]!],
    [records[0]!, fork, records[1]!, records[2]!],
    [records[0]!, fork, records[2]!],
  ])
    expect(historyProblems(h(versions)).length).toBeGreaterThan(0);
});

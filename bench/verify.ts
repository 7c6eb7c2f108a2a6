// What verifying costs beyond signatures (bench/compute.ts and bench/governance.ts measure those): an epoch of
// 10,000 receipts hashed for its anchor and re-checked under its manifest (leaf order, root, books), and a proposal
// of 2,000 ballots re-verified whole under its manifest (Ed25519 voters, so the signatures cost little).
import { bundleOf, closeEpoch, epochHash } from '../compute/epoch.js';
import { verifyEpochBundle } from '../compute/epoch-verify.js';
import { digest, type Receipt } from '../compute/receipt.js';
import { refOf } from '../deployment/manifest.js';
import { verifyBundle } from '../governance/verify-bundle.js';
import { anchoredRecord, operatorKey, testManifest } from '../test/support/deployment.js';
import { contributorProofs, verifyContributorProofs } from '../compute/proofs.js';
import { PAC, STARTS_AT, manifest, scenarioBundle } from '../test/support/delegation-bundle.js';
import { strictJson } from '../bot/cli/verify-input.js';
import { heading } from './harness.js';

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

async function epoch(): Promise<void> {
  const op = operatorKey(7);
  const model = digest('model');
  const manifest = testManifest(op, {
    compute: {
      pool: null,
      models: { [model]: '1500000000' },
      minStake: '1',
      epochBlocks: 8640,
      rewardPerBlock: '350000000',
      spotCheckPpm: 0,
    },
  });
  const record = anchoredRecord(op, manifest, 1);
  // Unsigned receipts: signatures are not what this measures (checks below pass them all).
  const receipts: Receipt[] = Array.from({ length: 10_000 }, (_, n) => ({
    contributor: `tpc1pcontributor${n % 40}`,
    requestHash: digest(`request ${n}`),
    responseHash: digest(`response ${n}`),
    promptTokens: 100 + (n % 50),
    completionTokens: 50,
    model: 'm',
    modelHash: model,
    timestamp: n,
    publicKey: 'k',
    signature: 's',
  }));
  const books = {
    epoch: 0,
    startHeight: 0,
    endHeight: 8640,
    rewardPerBlock: 350_000_000n,
    models: { [model]: 1_500_000_000n },
    receipts,
    zeroed: {},
  };
  let t0 = performance.now();
  const bundle = bundleOf(books, 'testnet', closeEpoch(books), {
    deployment: refOf(record),
    closeHeight: 8650,
  });
  console.log(`${'close an epoch of 10,000 receipts into its bundle'.padEnd(52)} ${ms(t0)}`);
  t0 = performance.now();
  epochHash(bundle);
  console.log(`${'hash it for its anchor (canonical JSON, BLAKE2b)'.padEnd(52)} ${ms(t0)}`);
  // Read as a verifier reads a file (one reading only: verify-input.ts), against JSON.parse alone.
  const bytes = new TextEncoder().encode(JSON.stringify(bundle));
  t0 = performance.now();
  JSON.parse(new TextDecoder().decode(bytes));
  const plain = ms(t0);
  t0 = performance.now();
  strictJson(bytes);
  console.log(
    `${`read its ${(bytes.length / 1e6).toFixed(1)} MB strictly (JSON.parse alone: ${plain})`.padEnd(52)} ${ms(t0)}`,
  );
  t0 = performance.now();
  const { problems } = await verifyEpochBundle(bundle, manifest, async (r) => r.map(() => null));
  console.log(
    `${'re-check it under the manifest, signatures aside'.padEnd(52)} ${ms(t0)} (${problems.length} problems)`,
  );
  // One contributor's file out of that epoch (250 receipts with their paths), checked as verify-epoch does.
  t0 = performance.now();
  const file = contributorProofs(bundle, 'tpc1pcontributor7')!;
  console.log(`${"cut one contributor's proofs file (250 receipts)".padEnd(52)} ${ms(t0)}`);
  t0 = performance.now();
  const found = await verifyContributorProofs(file, manifest, async (r) => r.map(() => null));
  console.log(
    `${'re-check it under the manifest, signatures aside'.padEnd(52)} ${ms(t0)} (${found.length} problems)`,
  );
}

/** A closed proposal of 2,000 one-address ballots, built and signed as the delegation tests build theirs. */
function proposal(): void {
  const voters = 2_000;
  const bundle = scenarioBundle({
    power: Array.from({ length: voters }, (_, i) => BigInt(100 + (i % 900)) * PAC),
    delegations: [],
    ballots: Array.from({ length: voters }, (_, i) => ({
      signers: [i],
      choice: (['yes', 'no', 'abstain'] as const)[i % 3]!,
    })),
  });
  const t0 = performance.now();
  const checked = verifyBundle(bundle, manifest, STARTS_AT + 7_200_000);
  console.log(
    `${'re-verify a proposal of 2,000 ballots (Ed25519)'.padEnd(52)} ${ms(t0)} (${checked.problems.length} problems)`,
  );
}

export async function run(): Promise<void> {
  heading('verify');
  await epoch();
  proposal();
}

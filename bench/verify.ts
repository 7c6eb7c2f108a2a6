// What verifying costs beyond signatures (bench/compute.ts and bench/governance.ts measure those): an epoch of
// 10,000 receipts hashed for its anchor and re-checked under its manifest (leaf order, root, books), and a proposal
// of 2,000 ballots re-verified whole under its manifest (Ed25519 voters, so the signatures cost little).
import { bundleOf, closeEpoch, epochHash } from '../compute/epoch.js';
import { verifyEpochBundle } from '../compute/epoch-verify.js';
import { digest, type Receipt } from '../compute/receipt.js';
import { refOf } from '../deployment/manifest.js';
import { buildBundle } from '../governance/bundle.js';
import { ballotMessage, messageHash, proposalMessage } from '../governance/messages.js';
import { rulesHash } from '../governance/rules.js';
import { finalizeSnapshot } from '../governance/snapshot.js';
import { tally } from '../governance/tally.js';
import { verifyBundle } from '../governance/verify-bundle.js';
import { rulesOfManifest } from '../governance/verify-bundle.js';
import { PrivateKey, signMessage } from '../pactus/index.js';
import { anchoredRecord, operatorKey, testManifest } from '../test/support/deployment.js';
import { contributorProofs, verifyContributorProofs } from '../compute/proofs.js';
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

function proposal(): void {
  const op = operatorKey(8);
  const manifest = testManifest(op, { governance: { ...testManifest(op).governance, minDurationMs: 0 } });
  const record = anchoredRecord(op, manifest, 1);
  const voters = Array.from({ length: 2_000 }, (_, i) =>
    PrivateKey.fromBytes('ed25519', digestBytes(`voter ${i}`)),
  );
  const address = (k: PrivateKey) => k.publicKey().accountAddress().toString('testnet');
  const snapshot = finalizeSnapshot(
    10,
    voters.map((k, i) => ({
      address: address(k),
      power: BigInt(100 + (i % 900)) * 1_000_000_000n,
      validators: [address(k)],
    })),
  );
  const rules = rulesOfManifest(manifest);
  const startsAt = Date.parse('2025-01-01T00:00:00Z');
  const message = proposalMessage({
    domain: 'bot.example',
    network: 'testnet',
    id: 1,
    title: 'Bench',
    body: 'Body',
    durationMs: 3_600_000,
    snapshotHeight: 10,
    snapshotHash: snapshot.hash,
    rulesHash: rulesHash(rules),
    proposers: [address(voters[0]!)],
    nonce: '0123456789abcdef',
    issued: new Date(startsAt).toISOString(),
  });
  const hash = messageHash(message);
  const ballots = voters.map((k, i) => {
    const text = ballotMessage({
      domain: 'bot.example',
      proposalId: 1,
      proposalHash: hash,
      choice: (['yes', 'no', 'abstain'] as const)[i % 3]!,
      addresses: [address(k)],
      timestamp: new Date(startsAt + i).toISOString(),
      nonce: '0123456789abcdef',
    });
    return {
      message: text,
      signatures: [
        {
          address: address(k),
          publicKey: k.publicKey().toString('testnet'),
          signature: signMessage(k, text),
        },
      ],
    };
  });
  const power = new Map(snapshot.entries.map((e) => [e.address, e.power]));
  const result = tally(
    ballots.map((b, i) => ({
      choice: (['yes', 'no', 'abstain'] as const)[i % 3]!,
      order: i,
      addresses: [b.signatures[0]!.address],
    })),
    power,
    snapshot.total,
    { voteMin: 10_000_000_000n, ballotCap: 420_000_000_000_000n, quorumBps: 1000 },
  );
  const bundle = buildBundle({
    proposal: {
      id: 1,
      network: 'testnet',
      message,
      hash,
      rules,
      status: 'closed',
      outcome: result.outcome,
      startsAt,
      endsAt: startsAt + 3_600_000,
      closedAt: startsAt + 3_600_000,
      snapshotHeight: 10,
      snapshotHash: snapshot.hash,
      totalPower: snapshot.total,
      signatures: [
        {
          address: address(voters[0]!),
          publicKey: voters[0]!.publicKey().toString('testnet'),
          signature: signMessage(voters[0]!, message),
        },
      ],
    } as unknown as Parameters<typeof buildBundle>[0]['proposal'],
    entries: snapshot.entries.map((e) => ({ proposalId: 1, ...e })),
    delegations: [],
    ballots: ballots as unknown as Parameters<typeof buildBundle>[0]['ballots'],
    vetoes: [],
    result,
    anchors: { result: null, final: null },
    deployment: record,
  });
  const t0 = performance.now();
  const checked = verifyBundle(bundle, manifest, startsAt + 7_200_000);
  console.log(
    `${'re-verify a proposal of 2,000 ballots (Ed25519)'.padEnd(52)} ${ms(t0)} (${checked.problems.length} problems)`,
  );
}

const digestBytes = (s: string) => Uint8Array.from(Buffer.from(digest(s), 'hex'));

export async function run(): Promise<void> {
  heading('verify');
  await epoch();
  proposal();
}

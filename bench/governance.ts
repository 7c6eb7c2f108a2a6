// DAO: tallying 100,000 ballots, and verifying ballot signatures.
import { PrivateKey, signMessage, verifyMessage } from '../pactus/index.js';
import { ballotMessage } from '../governance/messages.js';
import { tally, type TallyBallot } from '../governance/tally.js';
import { heading, opsPerSecond } from './harness.js';

export async function run(): Promise<void> {
  heading('governance');
  const PAC = 1_000_000_000n;
  const voters = 50_000;
  const power = new Map<string, bigint>();
  for (let i = 0; i < voters; i++)
    power.set(`tpc1p${i.toString().padStart(38, '0')}`, BigInt(1 + (i % 1000)) * PAC);
  const addresses = [...power.keys()];
  const choices = ['yes', 'no', 'abstain'] as const;
  const ballots: TallyBallot[] = [];
  for (let i = 0; i < 100_000; i++) {
    // Half of the voters vote twice (a re-vote), some ballots carry two addresses.
    const a = addresses[i % voters]!;
    const extra = i % 7 === 0 ? [addresses[(i * 13) % voters]!] : [];
    ballots.push({ choice: choices[i % 3]!, order: i, addresses: [a, ...extra] });
  }
  const total = [...power.values()].reduce((s, p) => s + p, 0n);
  const rules = { voteMin: 10n * PAC, ballotCap: 420_000n * PAC, quorumBps: 1000 };
  const started = performance.now();
  const result = tally(ballots, power, total, rules);
  console.log(
    `${'tally 100,000 ballots (50,000 voters)'.padEnd(44)} ${(performance.now() - started).toFixed(0)} ms (outcome ${result.outcome})`,
  );
  opsPerSecond('tally 100,000 ballots', () => tally(ballots, power, total, rules), 3000);

  const message = ballotMessage({
    domain: 'sign.example.org',
    proposalId: 3,
    proposalHash: 'ab'.repeat(32),
    choice: 'yes',
    addresses: ['tpc1p...'],
    timestamp: new Date().toISOString(),
    nonce: '0123456789abcdef',
  });
  const bls = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(3));
  const ed = PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(4));
  const blsSig = signMessage(bls, message);
  const edSig = signMessage(ed, message);
  const blsKey = bls.publicKey();
  const edKey = ed.publicKey();
  opsPerSecond('verify ballot signature (BLS validator key)', () => verifyMessage(blsKey, message, blsSig));
  opsPerSecond('verify ballot signature (Ed25519 key)', () => verifyMessage(edKey, message, edSig));
}

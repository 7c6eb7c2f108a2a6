// A proposal's snapshot against the chain's validators as a node reports them now, where the chain can still tell
// (deployment/stake.ts): a validator counted that is not one, or had unbonded, or whose stake or owner differs, and
// a validator bonded then that the snapshot leaves out. Validators bonded (again) since are not judged.
import { stakeThen, type ValidatorFacts } from '../deployment/stake.js';
import { pacText } from '../pactus/amount.js';

export function snapshotAgainstChain(
  snapshot: { height: number; entries: { address: string; power: string; validators: string[] }[] },
  validators: ValidatorFacts[],
): { problems: string[]; undecided: number } {
  const problems: string[] = [];
  const chain = new Map(validators.map((v) => [v.address, v]));
  const listed = new Set<string>();
  let undecided = 0;
  const h = snapshot.height;
  for (const entry of snapshot.entries) {
    let known = 0n;
    let complete = true;
    for (const address of entry.validators) {
      listed.add(address);
      const v = chain.get(address);
      if (!v) {
        problems.push(`the snapshot counts ${address}, which is not a validator on chain`);
        complete = false;
        continue;
      }
      const then = stakeThen(v, h);
      if (!then) {
        complete = false;
        undecided++;
      } else if (!then.bonded)
        problems.push(
          `the snapshot counts ${address}, which unbonded at block ${v.unbondingHeight}, before block ${h}`,
        );
      else if ((v.delegation?.owner ?? v.address) !== entry.address)
        problems.push(
          `the snapshot counts ${address}'s stake for ${entry.address}, but it belongs to ${v.delegation?.owner ?? v.address}`,
        );
      else known += then.stake;
    }
    if (complete && known.toString() !== entry.power)
      problems.push(
        `the snapshot gives ${entry.address} ${pacText(BigInt(entry.power))} of power; the chain says ${pacText(known)}`,
      );
  }
  for (const v of validators) {
    const then = stakeThen(v, h);
    if (then?.bonded && then.stake > 0n && !listed.has(v.address))
      problems.push(
        `${v.address} had ${pacText(then.stake)} bonded at block ${h}, but the snapshot leaves it out`,
      );
  }
  return { problems, undecided };
}

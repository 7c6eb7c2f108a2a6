// What the verifiers ask a node (--node): transactions by id, validators, block times. Each answer is asked once
// per run, so a bundle naming the same anchor or validator many times costs one request.
import { PactusNodeClient, parseEndpoints } from '../../chain/client.js';
import { NodeUnavailable } from '../../chain/errors.js';
import type { ChainType, ValidatorState } from '../../chain/types.js';
import { decodeTransactionHex, transactionId, type Transaction } from '../../pactus/tx.js';

export type OnChainTx =
  | { state: 'committed'; height: number; blockTime: number; tx: Transaction | null }
  | { state: 'missing' }
  | { state: 'error'; message: string };

export interface ChainView {
  readonly endpoint: string;
  /** The chain the node serves (localnet is a testnet: the same address form). */
  chain(): Promise<ChainType>;
  /** A transaction in a block, with its bytes as the node returns them (null when they do not hash to the id). */
  transaction(txId: string): Promise<OnChainTx>;
  validator(address: string): Promise<ValidatorState | null>;
  /** Every validator the chain has ever had (bonded, unbonding or unbonded). */
  validators(): Promise<ValidatorState[]>;
  /** A block's time, Unix seconds. */
  blockTime(height: number): Promise<number>;
  close(): void;
}

/** A node error in a few words: the client's own detail, not its whole sentence. */
export const nodeProblem = (error: unknown) =>
  error instanceof NodeUnavailable ? error.detail : (error as Error).message;

function once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let found = cache.get(key);
  if (!found) cache.set(key, (found = load()));
  return found;
}

export function nodeChainView(endpoint: string): ChainView {
  const client = new PactusNodeClient({ endpoints: parseEndpoints(endpoint), readAttempts: 2 });
  const txs = new Map<string, Promise<OnChainTx>>();
  const validators = new Map<string, Promise<ValidatorState | null>>();
  const times = new Map<string, Promise<number>>();
  const all = new Map<string, Promise<ValidatorState[]>>();
  const info = new Map<string, Promise<ChainType>>();
  return {
    endpoint,
    chain: () => once(info, '', async () => (await client.getBlockchainInfo()).chainType),
    transaction: (txId) =>
      once(txs, txId, async () => {
        try {
          const found = await client.findTransaction(txId);
          if (!found) return { state: 'missing' };
          let tx: Transaction | null = decodeTransactionHex(await client.getTransactionData(txId));
          if (transactionId(tx) !== txId) tx = null;
          return { state: 'committed', height: found.blockHeight, blockTime: found.blockTime, tx };
        } catch (error) {
          return { state: 'error', message: nodeProblem(error) };
        }
      }),
    validator: (address) => once(validators, address, () => client.findValidator(address)),
    validators: () =>
      once(all, '', async () => {
        const { totalValidators } = await client.getBlockchainInfo();
        const found: ValidatorState[] = [];
        for (let i = 0; i < totalValidators; i += 16)
          found.push(
            ...(await Promise.all(
              [...Array(Math.min(16, totalValidators - i)).keys()].map((k) =>
                client.getValidatorByNumber(i + k),
              ),
            )),
          );
        return found;
      }),
    blockTime: (height) => once(times, String(height), async () => (await client.getBlock(height)).blockTime),
    close: () => client.close(),
  };
}

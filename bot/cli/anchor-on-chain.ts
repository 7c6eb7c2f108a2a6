import { PactusNodeClient, parseEndpoints } from '../../chain/client.js';
import { decodeTransactionHex, transactionId } from '../../pactus/tx.js';

type OnChain = ReturnType<typeof decodeTransactionHex>;

/**
 * An anchor transaction as a node has it: committed in a block, and the bytes it returns hash to the id asked for
 * (a node cannot answer with another transaction). `check` adds what the memo must say. Problems in words, for the
 * verify-proposal and verify-epoch commands.
 */
export async function anchorOnChain(
  node: string,
  txId: string,
  check: (tx: OnChain) => string[],
): Promise<{ problems: string[]; blockHeight: number | null }> {
  const client = new PactusNodeClient({ endpoints: parseEndpoints(node), readAttempts: 2 });
  try {
    const found = await client.transactionState(txId);
    if (found.state !== 'committed')
      return {
        problems: [`the node does not have the anchor transaction ${txId} in a block`],
        blockHeight: null,
      };
    const onChain = decodeTransactionHex(await client.getTransactionData(txId));
    const problems = transactionId(onChain) === txId ? [] : ['the node returned other bytes for the anchor'];
    return { problems: [...problems, ...check(onChain)], blockHeight: found.tx.blockHeight };
  } catch (error) {
    return {
      problems: [`could not check the anchor against ${node}: ${(error as Error).message}`],
      blockHeight: null,
    };
  } finally {
    client.close();
  }
}

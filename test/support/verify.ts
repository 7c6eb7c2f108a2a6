// Running the verify-proposal and verify-epoch commands in process, many times over: files are served from memory,
// one node connection answers every run (each transaction and validator asked once), and signatures already checked
// are not checked again. The exit status and the lines are the commands' own.
import { anchorMemo, type AnchorJson, type AnchorKind } from '../../deployment/anchors.js';
import { nodeChainView, type ChainView } from '../../bot/cli/chain-view.js';
import { loadJson } from '../../bot/cli/deployment-arg.js';
import { runVerifyEpoch } from '../../bot/cli/verify-epoch.js';
import { runVerifyProposal } from '../../bot/cli/verify-proposal.js';
import { checkReceiptsHere, type ReceiptChecks } from '../../compute/epoch.js';
import { receiptLeaf } from '../../compute/receipt.js';
import type { Devnet } from '../../devnet/index.js';
import type { PrivateKey } from '../../pactus/keys.js';
import { tryHexToBytes } from '../../pactus/bytes.js';
import { PayloadType, transactionId } from '../../pactus/tx.js';
import { signedTx } from './txs.js';
import { waitFor } from './wait.js';

export interface Run {
  code: number;
  out: string;
}

export class Verifier {
  readonly files = new Map<string, unknown>();
  private readonly chain: ChainView;
  private readonly signatures = new Map<string, boolean>();
  private readonly receiptCache = new Map<string, string | null>();
  private n = 0;

  constructor(readonly node: string) {
    this.chain = nodeChainView(node);
  }

  /** Receipt signatures checked once each (by leaf and signature), on this thread. */
  private readonly checks: ReceiptChecks = async (receipts, network) => {
    const todo = receipts.filter((r) => !this.receiptCache.has(`${receiptLeaf(r)}:${r.publicKey}`));
    const found = await checkReceiptsHere(todo, network);
    todo.forEach((r, i) => this.receiptCache.set(`${receiptLeaf(r)}:${r.publicKey}`, found[i]!));
    return receipts.map((r) => this.receiptCache.get(`${receiptLeaf(r)}:${r.publicKey}`)!);
  };

  /** Keeps `value` as a file the commands can be given by name. */
  file(value: unknown): string {
    const name = `memory:${++this.n}.json`;
    this.files.set(name, JSON.parse(JSON.stringify(value)));
    return name;
  }

  async run(command: 'proposal' | 'epoch', args: string[]): Promise<Run> {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const deps = {
      chain: () => this.chain,
      load: async (source: string) => (this.files.has(source) ? this.files.get(source) : loadJson(source)),
      signatures: this.signatures,
      checks: this.checks,
    };
    const code =
      command === 'proposal' ? await runVerifyProposal(args, io, deps) : await runVerifyEpoch(args, io, deps);
    return { code, out: lines.join('\n') };
  }

  close(): void {
    this.chain.close();
  }
}

/** An anchor as anyone with a funded key can put one on the devnet: broadcast, and wait for its block. */
export async function anchorOnDevnet(
  devnet: Devnet,
  key: PrivateKey,
  kind: AnchorKind,
  subject: number,
  hash: string,
): Promise<AnchorJson> {
  const self = key.publicKey().accountAddress();
  const { tx, hex } = signedTx(
    devnet,
    key,
    { type: PayloadType.Transfer, from: self, to: self, amount: 0n },
    { memo: anchorMemo(kind, subject, hash) },
  );
  const txId = transactionId(tx);
  devnet.chain.submit(tryHexToBytes(hex)!);
  const height = await waitFor(() => devnet.chain.transaction(txId)?.height ?? null, 10_000);
  return { txId, signedTx: hex, height };
}

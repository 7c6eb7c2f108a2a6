// Protocol core throughput and the browser bundle size of pactus/.
import {
  decodeTransaction,
  deriveWalletKey,
  encodeTransaction,
  mnemonicToSeed,
  parsePrivateKey,
  signBytes,
  signTransaction,
  transactionId,
  tryHexToBytes,
  verifyTransaction,
} from '../pactus/index.js';
import { bundleForBrowser } from '../test/support/bundle.js';
import { vectors } from '../test/fixtures/vectors.js';
import { heading, opsPerSecond } from './harness.js';

export async function run(): Promise<void> {
  heading('protocol (pactus/)');
  const signedHex = vectors.transactions[1]!.signedHex;
  const bytes = tryHexToBytes(signedHex)!;
  const tx = decodeTransaction(bytes);
  const unsigned = decodeTransaction(tryHexToBytes(vectors.derivedTransactions.items[4]!.unsignedHex)!);
  const bls = parsePrivateKey(vectors.keys[0]!.privateKey).key;
  const ed = parsePrivateKey(vectors.keys[2]!.privateKey).key;
  const blsUnsigned = decodeTransaction(tryHexToBytes(vectors.derivedTransactions.items[0]!.unsignedHex)!);
  const blsSigned = signTransaction(blsUnsigned, bls);
  const edSigned = signTransaction(unsigned, ed);

  opsPerSecond('decode (Ed25519 transfer)', () => decodeTransaction(bytes));
  opsPerSecond('encode (Ed25519 transfer)', () => encodeTransaction(tx));
  opsPerSecond('tx ID', () => transactionId(tx));
  opsPerSecond('sign bytes', () => signBytes(tx));
  opsPerSecond('sign Ed25519', () => signTransaction(unsigned, ed));
  opsPerSecond('verify Ed25519', () => verifyTransaction(edSigned));
  opsPerSecond('sign BLS', () => signTransaction(blsUnsigned, bls));
  opsPerSecond('verify BLS', () => verifyTransaction(blsSigned));
  const mnemonic = vectors.mnemonics[0]!.mnemonic;
  opsPerSecond('mnemonic -> Ed25519 account address', () =>
    deriveWalletKey(mnemonicToSeed(mnemonic), 'ed25519-account', 'mainnet', 0).publicKey().accountAddress(),
  );
  opsPerSecond('mnemonic -> BLS account address', () =>
    deriveWalletKey(mnemonicToSeed(mnemonic), 'bls-account', 'mainnet', 0).publicKey().accountAddress(),
  );
  const bundle = await bundleForBrowser('pactus/index.ts');
  console.log(
    `${'browser bundle of pactus/ (minified)'.padEnd(44)} ${(bundle.code.length / 1024).toFixed(1)} KiB, gzip ${(bundle.gzipBytes / 1024).toFixed(1)} KiB (budget 60 KiB)`,
  );
}

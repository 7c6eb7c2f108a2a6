// Go's tx.BasicCheck (types/tx/tx.go) as the devnet's pool applies it before execution, with the node's words.
import { CodecError } from '../pactus/errors.js';
import { PublicKey, schemeForAddressType } from '../pactus/keys.js';
import { decodeTransaction, signBytes, signerOf, type Transaction } from '../pactus/tx.js';
import { TxRejected, freeTransactionFeeError } from './state.js';

/** The encoding's rules, the fee of free transactions, then the signatory and its signature. */
export function basicCheck(bytes: Uint8Array, tx: Transaction): void {
  try {
    decodeTransaction(bytes, { allowTrailing: true });
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    if (!/must pay a fee of 0/.test(error.reason)) throw new TxRejected(`invalid payload: ${error.reason}`);
  }
  const feeError = freeTransactionFeeError(tx);
  if (feeError) throw new TxRejected(feeError);
  if (!tx.publicKey) throw new TxRejected('no public key');
  if (!tx.signature) throw new TxRejected('no signature');
  const signer = signerOf(tx.payload);
  const scheme = schemeForAddressType(signer.type)!;
  let key: PublicKey;
  try {
    key = PublicKey.fromBytes(scheme, tx.publicKey);
  } catch {
    throw new TxRejected('invalid public key');
  }
  const owned = key.addressOfType(signer.type);
  if (!owned || !owned.equals(signer))
    throw new TxRejected(
      `address mismatch: expected ${(owned ?? key.accountAddress()).toString('testnet')}, got ${signer.toString('testnet')}`,
    );
  // crypto/secp256k1 verifies without a low-S rule; PublicKey.verify does the same (pactus/keys.ts).
  if (!key.verify(signBytes(tx), tx.signature)) throw new TxRejected('invalid signature');
}

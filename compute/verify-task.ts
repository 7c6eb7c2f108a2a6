// What a verifier thread runs: signature checks of signed texts (receipts), many per task so the message passing
// costs little next to the pairings. Loaded by compute/verify-worker.mjs.
import { parsePublicKey } from '../pactus/keys.js';
import { verifyMessage } from '../pactus/message.js';

export interface SignedText {
  publicKey: string;
  text: string;
  signature: string;
}

export default function verifyTexts(items: SignedText[]): boolean[] {
  return items.map((item) => {
    try {
      return verifyMessage(parsePublicKey(item.publicKey).key, item.text, item.signature);
    } catch {
      return false;
    }
  });
}

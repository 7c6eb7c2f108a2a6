import { callContext, checkReply } from '../agents/actions/contracts.js';
import { replyToText } from '../agents/reply.js';
import { ContractError } from '../contracts/errors.js';
import type { CheckResult, ContractService } from '../contracts/service.js';
import { takeUploadToken, uploadTokenOwner } from '../contracts/uploads.js';
import type { ContractUpload } from '../signer-web/server/contract-upload.js';
import type { Wallet } from '../wallet/index.js';

/**
 * The upload page's check: the link's owner gets the same report as in the chat. The link is spent only once the
 * file was read as a contract (whatever the checks then found); a file that does not load (not WebAssembly, text
 * that does not parse) is reported and the link still works. Of two uploads at once only one spends it.
 */
export function contractUploadFor(
  wallet: Pick<Wallet, 'db' | 'node'>,
  contracts: ContractService,
): ContractUpload {
  return async (tokenHash, _name, bytes) => {
    const owner = await uploadTokenOwner(wallet.db, tokenHash, Date.now());
    if (owner === null) return null;
    let result: CheckResult;
    try {
      result = await contracts.check(owner, bytes, await callContext(wallet, owner));
    } catch (error) {
      if (error instanceof ContractError) return { report: error.message, spent: false };
      throw error;
    }
    if ((await takeUploadToken(wallet.db, tokenHash, Date.now())) === null) return null;
    return { report: replyToText(checkReply(result)), spent: true };
  };
}

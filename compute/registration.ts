// A contributor's registration: a message signed with its key that binds its endpoint, its address and the model
// it serves. The contributor node serves it at /v1/pactus/registration; the router reads and checks it before
// sending the endpoint any work, and the stake behind the address is checked on chain then and at each epoch.
import { parseAddressFor } from '../pactus/address.js';
import { parsePublicKey, type PrivateKey } from '../pactus/keys.js';
import { signMessage, verifyMessage } from '../pactus/message.js';
import type { Network } from '../pactus/network.js';
import { ComputeError } from './errors.js';

export interface RegistrationBody {
  contributor: string;
  /** The base URL the contributor serves on, as the pool reaches it. */
  endpoint: string;
  model: string;
  modelHash: string;
  issued: number;
}

export interface Registration extends RegistrationBody {
  publicKey: string;
  signature: string;
}

export function registrationText(r: RegistrationBody): string {
  return [
    'Pactus compute registration (PIP-44)',
    `Contributor: ${r.contributor}`,
    `Endpoint: ${r.endpoint}`,
    `Model: ${r.model} ${r.modelHash}`,
    `Issued: ${r.issued}`,
  ].join('\n');
}

export function signRegistration(key: PrivateKey, body: RegistrationBody, network: Network): Registration {
  return {
    ...body,
    publicKey: key.publicKey().toString(network),
    signature: signMessage(key, registrationText(body)),
  };
}

/** Base URLs compare without a trailing slash. */
export const sameEndpoint = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * Checks that the registration is signed by the contributor's own key and names the endpoint it was fetched
 * from (a registration copied from another node does not make this one earn). Throws ComputeError.
 */
export function verifyRegistration(r: Registration, endpoint: string, network: Network): void {
  if (!sameEndpoint(r.endpoint, endpoint))
    throw new ComputeError('bad_registration', `The registration names ${r.endpoint}, not this endpoint.`);
  if (!/^[0-9a-f]{64}$/.test(r.modelHash ?? ''))
    throw new ComputeError('bad_registration', 'The registration has no model hash.');
  let ok: boolean;
  try {
    const { key, network: keyNetwork } = parsePublicKey(r.publicKey);
    const address = parseAddressFor(r.contributor, network, 'validator');
    // The contributor in its one spelling: the pool groups endpoints by it (one stake's weight, the re-runners a
    // check excludes), and the node reads 'TPC1...' as 'tpc1...' (pactus crypto/address.go AddressFromString), so
    // a second spelling would be a second contributor with the same stake, able to re-run its own answers.
    if (r.contributor !== address.toString(network)) {
      throw new ComputeError(
        'bad_registration',
        `The registration spells its contributor other than ${address.toString(network)}.`,
      );
    }
    ok =
      keyNetwork === network &&
      key.addressOfType(address.type)?.equals(address) === true &&
      verifyMessage(key, registrationText(r), r.signature);
  } catch (error) {
    if (error instanceof ComputeError) throw error;
    ok = false;
  }
  if (!ok)
    throw new ComputeError(
      'bad_registration',
      "The registration is not signed by the contributor's validator key.",
    );
}

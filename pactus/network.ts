/**
 * Localnet (the devnet) uses testnet's HRPs and coin type, so 'testnet' covers both when formatting and parsing.
 */
export type Network = 'mainnet' | 'testnet';

export interface NetworkParams {
  addressHrp: string;
  publicKeyHrp: string;
  privateKeyHrp: string;
  coinType: number;
}

export const NETWORK_PARAMS: Record<Network, NetworkParams> = {
  mainnet: { addressHrp: 'pc', publicKeyHrp: 'public', privateKeyHrp: 'secret', coinType: 21888 },
  testnet: { addressHrp: 'tpc', publicKeyHrp: 'tpublic', privateKeyHrp: 'tsecret', coinType: 21777 },
};

export function isNetwork(value: string): value is Network {
  return value === 'mainnet' || value === 'testnet';
}

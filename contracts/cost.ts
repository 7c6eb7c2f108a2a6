/**
 * What deploying a contract might cost, under a stated assumption: Pactus has no contract VM and no deployment
 * transaction, so no rule prices one. The estimate prices it like any transaction under PIP-31, the node's fixed
 * fee plus a consumption part per byte, whose unit price nodes set to 0 today; a second figure shows it at an
 * illustrative price, to see how size would matter.
 */
export const ILLUSTRATIVE_NANOPAC_PER_BYTE = 10n;

export interface DeploymentEstimate {
  bytes: number;
  fixedFee: bigint;
  /** With today's consumption price (0). */
  today: bigint;
  /** With ILLUSTRATIVE_NANOPAC_PER_BYTE per byte. */
  illustrative: bigint;
  assumption: string;
}

export function estimateDeployment(bytes: number, fixedFee: bigint): DeploymentEstimate {
  return {
    bytes,
    fixedFee,
    today: fixedFee,
    illustrative: fixedFee + BigInt(bytes) * ILLUSTRATIVE_NANOPAC_PER_BYTE,
    assumption:
      'Assumption, not a protocol rule: Pactus has no contract deployment yet. This prices one like a transaction under PIP-31: the node fixed fee plus a per-byte consumption price, which nodes set to 0 today.',
  };
}

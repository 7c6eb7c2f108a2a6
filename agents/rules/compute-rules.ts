import type { Intent, Rule } from './parser.js';

/** Compute-layer phrasings: "compute status", "my contributions", "compute anchor 12", "compute payout 12", "my proofs [epoch 3]". */
const computeRule: Rule = (a): Intent | null => {
  if (a.addresses.length) return null;
  // "compute anchor 12", "anchor compute epoch 9", "compute payout for epoch 9"
  const admin =
    /\bcompute\s+(anchor|payouts?)\s+(?:for\s+)?(?:epoch\s+)?#?(\d{1,9})\b/.exec(a.words) ??
    /\b(anchor|payouts?|pay out)\s+(?:the\s+)?compute\s+(?:for\s+)?epoch\s+#?(\d{1,9})\b/.exec(a.words);
  if (admin)
    return {
      action: admin[1] === 'anchor' ? 'compute_anchor' : 'compute_payout',
      args: { epoch: admin[2]! },
    };
  if (
    /\bmy\s+(compute\s+)?contributions?\b|\bmy receipts\b|\bwhat (?:did|have) i contributed?\b|\bwhat (?:did|has|have) my (?:nodes?|gpus?|machines?|servers?) (?:contributed?|done|served|earned)\b|\bwhat (?:did|have) i contribute(?:d)?\b|\bhow much (?:have|did) i contribute(?:d)?\b|\bhow much (?:compute|inference|gpu work|work) (?:have|did) i (?:done|do|contributed|contribute|provided|provide|given|give)\b/.test(
      a.words,
    )
  )
    return { action: 'my_contributions', args: {} };
  if (
    /\b(compute|inference|contributor)\s+(pool\s+)?(status|health)\b|\bpool (?:status|health|stats|statistics|numbers|metrics)\b/.test(
      a.words,
    ) ||
    (/\b(?:compute|inference|contributors?|gpu)(?:\s+(?:pool|layer|network|nodes?))?\b/.test(a.words) &&
      /\b(?:status|health|healthy|doing|going|working|up|down|alive|running|ok|okay|online|state|look|looking)\b|^how(?:'s| is| are)\b/.test(
        a.words,
      ) &&
      !/\bmy\b/.test(a.words))
  )
    return { action: 'compute_status', args: {} };
  const proofs =
    /(?:^|\b(?:my\s+(?:compute\s+)?|compute\s+|receipt\s+|inclusion\s+))proofs?\b(?:\s+(?:for\s+|of\s+)?(?:epoch\s+)?#?(\d{1,9})\b)?/.exec(
      a.words,
    );
  if (proofs) return { action: 'compute_proofs', args: proofs[1] ? { epoch: proofs[1] } : {} };
  return null;
};

export const computeRules: Rule[] = [computeRule];

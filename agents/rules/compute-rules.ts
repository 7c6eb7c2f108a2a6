import type { Intent, Rule } from './parser.js';

/** Compute-layer phrasings: "compute status", "my contributions", "compute anchor 12", "compute payout 12". */
const computeRule: Rule = (a): Intent | null => {
  if (a.addresses.length) return null;
  const admin = /\bcompute\s+(anchor|payouts?)\s+(?:epoch\s+)?#?(\d{1,9})\b/.exec(a.words);
  if (admin)
    return {
      action: admin[1] === 'anchor' ? 'compute_anchor' : 'compute_payout',
      args: { epoch: admin[2]! },
    };
  if (/\b(compute|inference|contributor)\s+(pool\s+)?(status|health)\b|\bpool status\b/.test(a.words))
    return { action: 'compute_status', args: {} };
  if (/\bmy\s+(compute\s+)?contributions?\b/.test(a.words)) return { action: 'my_contributions', args: {} };
  return null;
};

export const computeRules: Rule[] = [computeRule];

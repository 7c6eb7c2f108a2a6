import type { Rule } from './parser.js';

/** "anchor deployment" (admin), "which deployment is this", "show the manifest". */
const deploymentRule: Rule = (a) => {
  if (/\banchor\s+(?:the\s+)?(?:deployment|manifest)\b/.test(a.words))
    return { action: 'deployment_anchor', args: {} };
  if (
    /^(?:the\s+)?(?:deployment|manifest)\b|\b(?:which|what|show|about)\s+(?:is\s+)?(?:this\s+|the\s+|your\s+)?(?:bot'?s?\s+)?(?:deployment|manifest)\b|\bwho (?:operates|runs|hosts|owns) (?:this|you)\b|\bwho(?: is|'s) (?:the )?(?:operator|owner|host) of (?:this|you)\b/.test(
      a.words,
    )
  )
    return { action: 'deployment', args: {} };
  return null;
};

export const deploymentRules: Rule[] = [deploymentRule];

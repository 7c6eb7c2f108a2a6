import { clarify, type Rule } from './parser.js';

const HEX = /(?:0x)?0061736d[0-9a-f\s]*/i;
const CALLS = /[A-Za-z_][A-Za-z0-9_]*\s*\([^()]*\)/g;

/**
 * Contract phrasings (contracts/): they run first, since a contract's text is full of words other rules know
 * ("call", "add", "transfer").
 */
const contractRule: Rule = (a) => {
  const start = a.raw.indexOf('(module');
  if (start >= 0) return { action: 'contract_check', args: { code: a.raw.slice(start) } };
  const hex = HEX.exec(a.raw);
  if (hex && hex[0].replace(/\s/g, '').length >= 16)
    return { action: 'contract_check', args: { code: hex[0].trim() } };
  const about = /\b(contract|wasm|it)\b/.test(a.words);
  if (/\b(simulate|run|call|execute|try)\b/.test(a.words) && about) {
    const calls = a.raw.match(CALLS);
    if (calls) return { action: 'contract_simulate', args: { calls: calls.join('; ') } };
    if (/\bcontract\b/.test(a.words))
      return clarify(
        'Which call? Say for example "simulate increment() on it" or "simulate transfer(alice, 5)".',
      );
  }
  // "ship my contract", "publish the contract": deploying it, said with the contract ("ship it" is slang).
  const shipping = /\b(?:ship|publish|launch)\b/.test(a.words) && /\b(?:contract|wasm)\b/.test(a.words);
  if ((/\b(deploy|deploying|deployment)\b/.test(a.words) || shipping) && about) {
    if (/\b(cost|costs|fee|fees|price|how much|expensive)\b/.test(a.words))
      return { action: 'contract_cost', args: {} };
    return { action: 'contract_deploy', args: {} };
  }
  if (/\bupload\b/.test(a.words) && /\b(contract|wasm|file)\b/.test(a.words))
    return { action: 'contract_upload', args: {} };
  if (/\b(check|validate|verify|analy[sz]e|audit)\b/.test(a.words) && /\b(contract|wasm)\b/.test(a.words))
    return clarify(
      'Send the contract in the same message (its WebAssembly text, starting "(module", or its hex), attach the .wasm file, or say "upload a contract" for a page to upload it.',
    );
  return null;
};

export const contractRules: Rule[] = [contractRule];

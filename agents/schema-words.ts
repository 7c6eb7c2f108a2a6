// A schema's complaint about arguments, in plain words for the person who typed them: "The proposal number must be
// 1 or more", never "proposal: Too small: expected number to be >0".
import type { z } from 'zod';

/** What each argument is called when talking to a person. */
const LABELS: Record<string, string> = {
  proposal: 'The proposal number',
  amount: 'The amount',
  share: "The owner's share",
  to: 'The recipient',
  from: 'The sending address',
  address: 'The address',
  addresses: 'The addresses',
  validator: 'The validator address',
  owner: 'The owner address',
  public_key: 'The public key',
  memo: 'The memo',
  choice: 'Your choice',
  schedule: 'The schedule number',
  epoch: 'The epoch number',
  draft: 'The draft id',
  name: 'The name',
  every: 'How often',
  state: 'The setting',
  kind: 'The kind of alert',
  id: 'The transaction ID',
  title: 'The title',
  body: 'The text',
  duration: 'The voting period',
  recipients: 'The list of recipients',
  reason: 'The reason',
  until: 'When it ends',
  calls: 'The calls',
  code: 'The contract',
  topic: 'The topic',
  due: 'The due time',
};

export function labelOf(field: string): string {
  return LABELS[field] ?? `The ${field.replace(/_/g, ' ')}`;
}

/** Messages written into a schema (".regex(..., 'A transaction ID is 64 hex characters.')") are already plain. */
const isDefaultMessage = (message: string) =>
  /^(?:Invalid|Too (?:small|big)|Expected|Required|Unrecognized)\b/.test(message);

/** One plain sentence for the first problem; `args` tells a missing argument from a wrong one. */
export function plainIssue(error: z.ZodError, args: unknown): string {
  const issue = error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  if (issue.code === 'unrecognized_keys')
    return `I do not know the option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}.`;
  if (!field) return 'Those details are not in a form I can use.';
  const label = labelOf(field);
  const given =
    typeof args === 'object' && args !== null ? (args as Record<string, unknown>)[field] : undefined;
  if (given === undefined || given === null || given === '') return `${label} is missing.`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return `${label} must be a whole number, like 3.`;
      if (issue.expected === 'number') return `${label} must be a number, like 3.`;
      return `${label} is not in a form I can read.`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1 ? `${label} is empty.` : `${label} is too short (at least ${min} characters).`;
      if (issue.origin === 'number') {
        const least = issue.inclusive ? min : Number.isInteger(min) ? min + 1 : min;
        return issue.inclusive || Number.isInteger(min)
          ? `${label} must be ${least} or more.`
          : `${label} must be more than ${min}.`;
      }
      return `${label} is too small.`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `${label} is too long (at most ${max} characters).`;
      if (issue.origin === 'number') return `${label} must be ${max} or less.`;
      return `${label} is too long.`;
    }
    case 'invalid_value':
      return `${label} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_format':
      return isDefaultMessage(issue.message) ? `${label} is not in a form I can read.` : issue.message;
    default:
      return isDefaultMessage(issue.message) ? `${label} is not valid.` : issue.message;
  }
}

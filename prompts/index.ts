import { readFileSync } from 'node:fs';

/** Prompts are text files beside this module, read once. */
export function loadPrompt(name: 'system'): string {
  return readFileSync(new URL(`./${name}.txt`, import.meta.url), 'utf8').trim();
}

/** Chat-template control sequences (`<|im_start|>`, `<tool_call>`, `[INST]`...) typed as text. */
const CONTROL = /<\|[^<>|\s]{1,40}\|>|<\/?(?:tool_call|tool_response|tools|think)>|\[\/?INST\]/gi;

/**
 * The person's words as a model reads them: in a user turn of their own, which the system prompt says is
 * untrusted (the role is the frame: our engine never reads special tokens in message text, so the boundary
 * cannot be typed). A template's control sequences are removed all the same, for engines that do parse them
 * (llama-server reads `<|im_end|>` in a message as the real token). An earlier version wrapped each message in
 * `<untrusted_user_message>` tags: 12 tokens per turn that said what the user role already says.
 */
export function untrustedUserText(text: string): string {
  return text.replace(CONTROL, '').trim();
}

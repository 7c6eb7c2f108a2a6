import { readFileSync } from 'node:fs';

/** Prompts are text files beside this module, read once. */
export function loadPrompt(name: 'system'): string {
  return readFileSync(new URL(`./${name}.txt`, import.meta.url), 'utf8').trim();
}

/** How user text is framed for the model: marked as untrusted data, never as instructions. */
export function untrustedUserText(text: string): string {
  return `<untrusted_user_message>\n${text.replaceAll('</untrusted_user_message>', '')}\n</untrusted_user_message>`;
}

// Telegram's HTML parse mode as the Bot API enforces it (core.telegram.org/bots/api#html-style): a fixed set of
// tags, properly nested and closed; only &lt; &gt; &amp; &quot; and numeric entities; every other <, > and &
// must be escaped. Returns the text the user would see, or the API's error description.

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
]);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type ParsedHtml = { ok: true; text: string } | { ok: false; error: string };

const fail = (error: string): ParsedHtml => ({
  ok: false,
  error: `Bad Request: can't parse entities: ${error}`,
});

export function parseTelegramHtml(source: string): ParsedHtml {
  const bytesBefore = (i: number) => Buffer.byteLength(source.slice(0, i));
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '<') {
      const end = source.indexOf('>', i);
      if (end < 0) return fail(`Unclosed start tag at byte offset ${bytesBefore(i)}`);
      const inner = source.slice(i + 1, end);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const open = stack.pop();
        if (open === undefined) return fail(`Unexpected end tag at byte offset ${bytesBefore(i)}`);
        if (name !== '' && name !== open)
          return fail(
            `Unmatched end tag at byte offset ${bytesBefore(i)}, expected "</${open}>", found "</${name}>"`,
          );
      } else {
        const m = /^([a-zA-Z-]+)(\s[^]*)?$/.exec(inner);
        if (!m) return fail(`Expected tag name at byte offset ${bytesBefore(i)}`);
        const name = m[1]!.toLowerCase();
        if (!TAGS.has(name)) return fail(`Unsupported start tag "${name}" at byte offset ${bytesBefore(i)}`);
        const attrs = (m[2] ?? '').trim();
        if (name === 'a' && !/^href\s*=\s*"[^"]*"$/.test(attrs))
          return fail(`Can't find "href" attribute of tag "a" at byte offset ${bytesBefore(i)}`);
        if (name === 'span' && !/^class\s*=\s*"tg-spoiler"$/.test(attrs))
          return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${bytesBefore(i)}`);
        stack.push(name);
      }
      i = end + 1;
      continue;
    }
    if (c === '>') return fail(`Unexpected end of name token at byte offset ${bytesBefore(i)}`);
    if (c === '&') {
      const m = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);/.exec(source.slice(i, i + 12));
      if (!m) return fail(`Character entity expected at byte offset ${bytesBefore(i)}`);
      const ref = m[1]!;
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (code > 0x10ffff) return fail(`Invalid character entity at byte offset ${bytesBefore(i)}`);
        text += String.fromCodePoint(code);
      } else {
        const named = NAMED[ref];
        if (named === undefined)
          return fail(`Unsupported HTML entity "&${ref};" at byte offset ${bytesBefore(i)}`);
        text += named;
      }
      i += m[0].length;
      continue;
    }
    text += c;
    i++;
  }
  if (stack.length) return fail(`Can't find end tag corresponding to start tag "${stack.at(-1)}"`);
  return { ok: true, text };
}

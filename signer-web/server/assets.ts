import { build, transform } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface PageAssets {
  html: string;
  js: Uint8Array;
  css: string;
  /** The contract upload page. */
  uploadHtml: string;
  uploadJs: Uint8Array;
}

/**
 * Drops comments and runs of whitespace from our own page markup (about 100 bytes gzip of the page's 60 KiB
 * budget). Safe for these files only: they hold no <pre> or <textarea> text whose whitespace would be content, and
 * a run of spaces renders as one anyway.
 */
export function collapseHtml(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const pageDir = (file: string) => fileURLToPath(new URL(`../page/${file}`, import.meta.url));

let cached: Promise<PageAssets> | null = null;

/**
 * Bundles the signer page (pactus/ + the page code) for the browser, once per process, so `npm start` needs no
 * build step and what is served is always built from the sources beside it.
 */
export function loadPageAssets(): Promise<PageAssets> {
  cached ??= (async () => {
    const result = await build({
      entryPoints: [pageDir('main.ts'), pageDir('upload.ts')],
      outdir: 'out',
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      legalComments: 'none',
      alias: { '@noble/curves/secp256k1.js': pageDir('secp256k1-unsupported.ts') },
      logLevel: 'silent',
    });
    const [html, css, uploadHtml] = await Promise.all([
      readFile(pageDir('index.html'), 'utf8'),
      readFile(pageDir('style.css'), 'utf8'),
      readFile(pageDir('upload.html'), 'utf8'),
    ]);
    const output = (name: string) => result.outputFiles.find((f) => f.path.endsWith(`/${name}.js`))!.contents;
    // Minified like the script: a phone on a slow link downloads every byte before it can show anything.
    const minCss = (await transform(css, { loader: 'css', minify: true })).code;
    return {
      html: collapseHtml(html),
      js: output('main'),
      css: minCss,
      uploadHtml: collapseHtml(uploadHtml),
      uploadJs: output('upload'),
    };
  })();
  return cached;
}

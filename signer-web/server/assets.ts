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
    return { html, js: output('main'), css: minCss, uploadHtml, uploadJs: output('upload') };
  })();
  return cached;
}

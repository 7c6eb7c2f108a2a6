import { build, type Metafile } from 'esbuild';
import { gzipSync } from 'node:zlib';

export interface BrowserBundle {
  code: Uint8Array;
  gzipBytes: number;
  inputs: string[];
  metafile: Metafile;
}

/** Bundles an entry for the browser the way the signer page is shipped (minified ESM). */
export async function bundleForBrowser(entry: string): Promise<BrowserBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    target: 'es2022',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return {
    code,
    gzipBytes: gzipSync(code).length,
    inputs: Object.keys(result.metafile.inputs),
    metafile: result.metafile,
  };
}

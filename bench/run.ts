// `npm run bench [-- name...]`: runs the named benchmarks (all by default) and prints their numbers.
const all = [
  'protocol',
  'node',
  'signer',
  'conversation',
  'secrets',
  'understanding',
  'governance',
  'rewards',
  'guard',
  'look-alike',
  'contracts',
  'compute',
  'verify',
  'scale',
  'outbox',
  'llm',
];
const requested = process.argv.slice(2);
const names = requested.length ? requested : all;
const unknown = requested.filter((name) => !all.includes(name));
if (unknown.length) {
  console.error(
    `Unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}. Benchmarks: ${all.join(', ')}.`,
  );
  process.exit(2);
}

for (const name of names) {
  let mod: { run: () => Promise<void> };
  try {
    mod = (await import(`./${name}.ts`)) as { run: () => Promise<void> };
  } catch (error) {
    if (requested.length || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    continue;
  }
  await mod.run();
}
process.exit(0);

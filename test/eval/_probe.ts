import { placeholders, rulesReader } from './dataset.js';
const read = rulesReader();
const map = placeholders();
for (const raw of process.argv.slice(2)) {
  const t = raw.replace(/\$[A-Z]+\d?/g, (k) => map[k] ?? k);
  console.log(JSON.stringify(raw), '->', JSON.stringify(await read(t)).replace(/tpc1[a-z0-9]{30,}/g, 'ADDR'));
}

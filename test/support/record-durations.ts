// Records how long each test file took, from a vitest JSON report, for the sequencer (test/support/sequencer.ts)
// to start the longest first. Usage: npx vitest run --reporter=json --outputFile=report.json, then
// `tsx test/support/record-durations.ts report.json` (files the report leaves out keep their recorded duration). Run it from the project root..
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DURATIONS_FILE, recordedDurations } from './sequencer.js';

interface JsonReport {
  testResults: { name: string; startTime: number; endTime: number }[];
}

const reportPath = process.argv[2];
if (!reportPath) {
  console.error('usage: tsx test/support/record-durations.ts <vitest JSON report>');
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
const durations = recordedDurations();
for (const file of report.testResults)
  durations[relative(process.cwd(), file.name)] = Math.round((file.endTime - file.startTime) / 100) / 10;
// Files deleted or renamed since drop out; the sequencer counts a new one as the median until it is recorded.
const kept = Object.entries(durations).filter(([path]) => existsSync(path));
const sorted = Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(DURATIONS_FILE, JSON.stringify(sorted, null, 2) + '\n');
console.log(
  `${report.testResults.length} files recorded in ${relative(process.cwd(), DURATIONS_FILE.pathname)}`,
);

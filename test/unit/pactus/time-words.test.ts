import { describe, expect, it } from 'vitest';
import { blockWords, durationWords, periodWords, relativeWords } from '../../../pactus/time-words.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('durations in words', () => {
  it('never says "1 hours", "0 minutes" or a bare number without its unit', () => {
    expect(durationWords(10_000)).toBe('less than a minute');
    expect(durationWords(70_000)).toBe('about a minute');
    expect(durationWords(14 * MIN)).toBe('14 minutes');
    expect(durationWords(HOUR)).toBe('about 1 hour');
    expect(durationWords(HOUR + 20 * MIN)).toBe('about 1 hour');
    expect(durationWords(5 * HOUR)).toBe('about 5 hours');
    expect(durationWords(6 * DAY + 3 * HOUR)).toBe('about 6 days');
    expect(durationWords(21 * DAY)).toBe('about 21 days');
    for (let ms = 0; ms < 40 * DAY; ms += 7 * MIN + 13_000)
      expect(durationWords(ms)).not.toMatch(/\b(1 \w+s|0 \w+)\b/);
  });

  it('says which side of now a time is on', () => {
    expect(relativeWords(1_000 + 14 * MIN, 1_000)).toBe('in 14 minutes');
    expect(relativeWords(1_000, 1_000 + 3 * DAY)).toBe('about 3 days ago');
    expect(relativeWords(5_000, 1_000)).toBe('now');
  });

  it('names exact periods in their largest whole unit', () => {
    expect(periodWords(MIN)).toBe('1 minute');
    expect(periodWords(90 * MIN)).toBe('90 minutes');
    expect(periodWords(2 * HOUR)).toBe('2 hours');
    expect(periodWords(30 * DAY)).toBe('30 days');
    expect(periodWords(45_000)).toBe('45 seconds');
  });

  it('turns a height into a time with the chain block time', () => {
    expect(blockWords(1_000 + 8_640 * 6, 1_000, 10_000)).toBe('block 52,840 (in about 6 days)');
    expect(blockWords(1_084, 1_000, 10_000)).toBe('block 1,084 (in 14 minutes)');
    expect(blockWords(900, 1_000, 10_000)).toBe('block 900 (reached)');
  });
});

import { describe, expect, it } from 'vitest';
import { duckdbThreads, wantsThreads } from './thread-count';

describe('duckdbThreads', () => {
  it('uses every core', () => {
    expect(duckdbThreads(8)).toBe(8);
    expect(duckdbThreads(3)).toBe(3);
  });

  it('keeps at least three threads, where DuckDB partitions its hash aggregates', () => {
    expect(duckdbThreads(2)).toBe(3);
    expect(duckdbThreads(1)).toBe(3);
  });

  it('treats an unknown core count as one core', () => {
    expect(duckdbThreads(0)).toBe(3);
    expect(duckdbThreads(Number.NaN)).toBe(3);
  });
});

describe('wantsThreads', () => {
  it('keeps lakes under a million rows on one thread', () => {
    expect(wantsThreads(480_000)).toBe(false);
    expect(wantsThreads(999_999)).toBe(false);
    expect(wantsThreads(1_000_000)).toBe(true);
  });
});

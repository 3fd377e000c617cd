import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatMs,
  formatRatio,
  markdownTable,
  median,
  ratio,
  verdict,
} from '../../bench/report/stats.ts';

describe('benchmark figures', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('gives no ratio without both figures or with a zero baseline', () => {
    expect(ratio(30, 20)).toBe(1.5);
    expect(ratio(undefined, 20)).toBeUndefined();
    expect(ratio(3, 0)).toBeUndefined();
  });

  it('passes a figure at or under its limit and says when it is missing', () => {
    expect(verdict(1.2, 1.2)).toBe('pass');
    expect(verdict(1.21, 1.2)).toBe('miss');
    expect(verdict(undefined, 1.2)).toBe('not measured');
    expect(verdict(Number.NaN, 1.2)).toBe('not measured');
  });

  it('prints milliseconds, ratios and bytes at a readable precision', () => {
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(1234.5)).toBe('1235 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatMs(undefined)).toBe('–');
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });

  it('writes a Markdown table and keeps pipes inside their cell', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(/1 cells/);
  });
});

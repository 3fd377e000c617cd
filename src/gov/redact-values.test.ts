import { describe, expect, it } from 'vitest';
import { redactValues } from './redact-values';

describe('redactValues', () => {
  it.each([
    [
      "Conversion Error: Could not convert string '999-79-9380' to INT32",
      "Conversion Error: Could not convert string '…' to INT32",
    ],
    [
      "Conversion Error: Could not convert string 'O''Brien' to INT32",
      "Conversion Error: Could not convert string '…' to INT32",
    ],
    [
      'Out of Range Error: Overflow in multiplication of INT32 (46341 * 46341)!',
      'Out of Range Error: Overflow in multiplication of INT32 (… * …)!',
    ],
    [
      "Conversion Error: Type INT64 with value -12.5e3 can't be cast to INT8",
      "Conversion Error: Type INT64 with value … can't be cast to INT8",
    ],
    [
      'Invalid Input Error: Could not parse string "Smith, Ann" according to format specifier "%Y"',
      'Invalid Input Error: Could not parse string "…" according to format specifier "…"',
    ],
    [
      'Conversion Error: date field value out of range: 2020-13-01',
      'Conversion Error: date field value out of range: …-…-…',
    ],
    ["an unterminated quote 'Ann Smi", "an unterminated quote '…'"],
  ])('%s', (message, expected) => {
    expect(redactValues(message)).toBe(expected);
  });

  it('is unchanged by a second pass', () => {
    const once = redactValues("Could not convert string '999-79-9380' to INT32 (row 17)");
    expect(redactValues(once)).toBe(once);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_HEIGHT, rowLayout, rowPlacement, scrollTopForRow, visibleRows } from './row-window';

const small = { rows: 100, rowHeight: 24, viewport: 240, maxHeight: MAX_BODY_HEIGHT };
const million = { rows: 1_000_000, rowHeight: 24, viewport: 383, maxHeight: MAX_BODY_HEIGHT };

describe('row window', () => {
  it('is the identity below the cap', () => {
    expect(rowLayout(small)).toEqual({ bodyHeight: 2400, virtualHeight: 2400, scale: 1 });
    expect(visibleRows(small, 480, 0)).toEqual({ first: 20, last: 29, top: 480 });
  });

  it('caps the body of a million rows and still reaches the first and the last row', () => {
    const layout = rowLayout(million);
    expect(layout.bodyHeight).toBe(MAX_BODY_HEIGHT);
    expect(layout.scale).toBeGreaterThan(1);
    expect(visibleRows(million, 0, 0).first).toBe(0);
    const end = visibleRows(million, MAX_BODY_HEIGHT, 0);
    expect(end.last).toBe(999_999);
    // The last row ends exactly at the bottom of the body.
    expect(end.top + (end.last - end.first + 1) * 24).toBeCloseTo(MAX_BODY_HEIGHT, 6);
  });

  it('brings any row into view, scaled or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rows, at, from) => {
          const input = { ...million, rows };
          const row = Math.min(rows - 1, Math.floor(at * rows));
          const start = from * rowLayout(input).bodyHeight;
          const scroll = scrollTopForRow(input, start, row);
          const shown = visibleRows(input, scroll, 0);
          expect(shown.first).toBeLessThanOrEqual(row);
          expect(shown.last).toBeGreaterThanOrEqual(row);
          const rowTop = shown.top + (row - shown.first) * 24 - scroll;
          expect(rowTop).toBeGreaterThanOrEqual(-1e-3);
          expect(rowTop + 24).toBeLessThanOrEqual(input.viewport + 1e-3);
        },
      ),
    );
  });

  it('keeps the scroll position when the row is already visible', () => {
    expect(scrollTopForRow(small, 480, 22)).toBe(480);
  });

  it('places each shown row where the window says, from offsets that do not move with the scroll', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 }), (at, step) => {
        const scroll = at * (MAX_BODY_HEIGHT - million.viewport);
        const before = visibleRows(million, scroll, 1);
        const after = visibleRows(million, scroll + step, 1);
        for (const shown of [before, after]) {
          const { windowTop, rowTop } = rowPlacement(shown, 24);
          for (let row = shown.first; row <= shown.last; row++)
            expect(windowTop + rowTop(row)).toBeCloseTo(shown.top + (row - shown.first) * 24, 6);
        }
        // A row on screen before and after a small scroll keeps its offset unless the anchor moved.
        const a = rowPlacement(before, 24);
        const b = rowPlacement(after, 24);
        const sameAnchor = Math.floor(before.first / 1024) === Math.floor(after.first / 1024);
        if (sameAnchor && after.first <= before.last)
          expect(b.rowTop(after.first)).toBe(a.rowTop(after.first));
        // Offsets stay far inside what the browser places exactly.
        expect(Math.abs(a.rowTop(before.last))).toBeLessThan(2048 * 24);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { categoryTicks, markPosition } from './marks';

describe('reference marks', () => {
  it('places a date on a time axis at UTC midnight, and numbers on number axes', () => {
    expect(markPosition({ axis: 'x', value: '2025-03-01', label: 'Rule' }, 'time')).toBe(
      Date.UTC(2025, 2, 1),
    );
    expect(markPosition({ axis: 'x', value: '2025-03-01 12:00:00', label: '' }, 'time')).toBe(
      Date.UTC(2025, 2, 1, 12),
    );
    expect(markPosition({ axis: 'y', value: '0.15', label: 'Target' }, 'time')).toBe(0.15);
    expect(markPosition({ axis: 'x', value: 'Surgery', label: '' }, 'category')).toBe('Surgery');
  });

  it('leaves out a mark that cannot sit on the axis', () => {
    expect(markPosition({ axis: 'x', value: 'soon', label: '' }, 'time')).toBeUndefined();
    expect(markPosition({ axis: 'x', value: 'Surgery', label: '' }, 'number')).toBeUndefined();
  });
});

describe('category labels', () => {
  it('stay level when they fit and turn when they do not, never skipped', () => {
    expect(categoryTicks(['A', 'B', 'C'], 600)).toEqual({ angle: 0, height: 30 });
    const crowded = categoryTicks(
      Array.from({ length: 13 }, (_, i) => `General Medicine ${i}`),
      600,
    );
    expect(crowded.angle).toBeLessThan(0);
    expect(crowded.height).toBeGreaterThan(30);
  });
});

import { describe, expect, it } from 'vitest';
import type { MetricPack } from '../../src/lake/metric-pack.ts';
import { compareGroups, type GroupComparison } from './compare-groups.ts';
import { fixturePack } from './pack-fixture.ts';

function found(pack: MetricPack, measure?: string): GroupComparison {
  const r = compareGroups(pack, measure);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('compareGroups', () => {
  it('puts the hospital first and marks the ward that moves the other way', () => {
    const c = found(fixturePack({ hospital: -0.02, Surgery: 0.03, Oncology: -0.01 }));
    expect(c.groups.map((g) => g.label)).toEqual(['hospital-wide', 'ward Surgery', 'ward Oncology']);
    expect(c.groups.map((g) => g.direction)).toEqual(['down', 'up', 'down']);
    expect(c.groups.map((g) => g.againstHospital)).toEqual([undefined, true, false]);
    expect(c.groups[1]!.difference).toBe(0.03);
    expect(c.groups[1]!.after!.value).toBeCloseTo(0.23, 12);
    expect(c).toMatchObject({
      metric: 'flags',
      measure: 'share',
      kind: 'rate',
      periodColumn: 'discharge_month',
    });
  });

  it('gives a suppressed group no direction, and no group a side when the hospital is suppressed', () => {
    const c = found(fixturePack({ hospital: 0.02, Oncology: 'suppressed' }));
    expect(c.groups[2]).toMatchObject({ label: 'ward Oncology', suppressed: true });
    expect(c.groups[2]!.direction).toBeUndefined();
    expect(c.groups[2]!.before).toBeUndefined();
    const hidden = found(fixturePack({ hospital: 'suppressed', Surgery: -0.1 }));
    expect(hidden.groups.map((g) => g.againstHospital)).toEqual([undefined, undefined, undefined]);
  });

  it('a ward that does not move is not against the hospital', () => {
    const c = found(fixturePack({ hospital: 0.02, Surgery: 0 }));
    expect(c.groups[1]).toMatchObject({ direction: 'none', againstHospital: false });
  });

  it('needs a measure named when there are several, and lists them for a wrong one', () => {
    const pack = fixturePack();
    pack.beforeAfter!.comparisons.push({ ...pack.beforeAfter!.comparisons[1]!, measure: 'other_share' });
    expect(compareGroups(pack)).toEqual({
      ok: false,
      message: 'Name a measure; the measures of flags are: share, other_share.',
    });
    expect(compareGroups(pack, 'nope')).toEqual({
      ok: false,
      message: 'Metric flags has no measure "nope"; the measures of flags are: share, other_share.',
    });
    expect(found(pack, 'other_share').groups).toHaveLength(1);
    expect(found(fixturePack()).measure).toBe('share');
  });

  it('refuses a pack without a before/after summary', () => {
    const { beforeAfter: _b, ...pack } = fixturePack();
    expect(compareGroups(pack)).toEqual({ ok: false, message: 'Metric flags has no before/after summary.' });
  });

  it('marks a group that stands out against the rest, and carries the caveats of the pack', () => {
    const pack = fixturePack({ hospital: -0.02, Surgery: 0.05, Oncology: -0.03 });
    for (const c of pack.beforeAfter!.comparisons.filter((x) => x.group.ward && !x.suppressed)) {
      const standsOut = c.group.ward === 'Surgery';
      c.versusRest = {
        rest: { before: 0.2, after: 0.18 },
        difference: c.difference! + 0.02,
        ci95: { low: c.difference! - 0.03, high: c.difference! + 0.07 },
        pValue: standsOut ? 0.001 : 0.2,
        adjustedPValue: standsOut ? 0.002 : 0.2,
        tests: 2,
        standsOut,
      };
    }
    const c = found(pack);
    expect(c.groups.map((g) => g.standsOut)).toEqual([undefined, true, false]);
    expect(c.groups[1]!.versusRest).toEqual(pack.beforeAfter!.comparisons[0]!.versusRest);
    expect(c.caveats).toEqual(['Not risk-adjusted.', 'Small groups are withheld.']);
  });
});

import type { Comparison, MetricPack } from '../../src/lake/metric-pack.ts';

const AS_OF = '2026-11-29T08:53:32.087Z';
const METHOD = 'Pooled rate per period; Wald interval.';

/** A small valid pack for tests: two wards and a suppressed row, a before/after summary with a given diff per group. */
export function fixturePack(differences: Record<string, number | 'suppressed'> = {}): MetricPack {
  const comparison = (group: Record<string, string>, measure = 'share'): Comparison => {
    const d = differences[group.ward ?? 'hospital'] ?? 0.1;
    if (d === 'suppressed') return { measure, kind: 'rate', group, suppressed: true, method: METHOD };
    const period = (from: string, to: string, value: number) => ({
      from,
      to,
      value,
      n: 100,
      events: 10,
      leftOut: [],
    });
    return {
      measure,
      kind: 'rate',
      numerator: 'n_flagged',
      denominator: 'n_stays',
      group,
      suppressed: false,
      before: period('2024-01-01', '2025-02-01', 0.2),
      after: period('2025-03-01', '2026-02-01', 0.2 + d),
      difference: d,
      ci95: { low: d - 0.05, high: d + 0.05 },
      method: METHOD,
    };
  };
  return {
    format: 'lakebook-metric-pack',
    version: 1,
    name: 'flags',
    description: 'Flagged stays by ward.',
    definition: 'Definition: flagged stays.',
    sql: '-- metric: flags\nSELECT 1',
    owner: 'quality',
    license: 'CC0-1.0',
    tags: ['PUBLIC', 'metric'],
    sources: [],
    lineage: { upstream: [], definition: 'metrics/flags.sql', snapshots: ['metrics/flags/1.parquet'] },
    asOf: AS_OF,
    freshness: { status: 'fresh', newerSources: [] },
    columns: [
      { name: 'ward', type: 'VARCHAR', tags: ['PUBLIC'], description: 'The ward.', unit: 'ward name' },
      { name: 'n_patients', type: 'BIGINT', tags: ['PUBLIC'], description: 'Patients.', unit: 'patients' },
      { name: 'n_flagged', type: 'BIGINT', tags: ['PUBLIC'], description: 'Flagged stays.', unit: 'stays' },
    ],
    caveats: ['Not risk-adjusted.', 'Small groups are withheld.'],
    smallCells: { countColumn: 'n_patients', minGroupSize: 11 },
    latest: {
      asOf: AS_OF,
      rows: [
        { values: { ward: 'Surgery', n_patients: 40, n_flagged: 3 }, suppressed: false },
        { values: { ward: 'Oncology', n_patients: null, n_flagged: null }, suppressed: true },
      ],
      suppressedRows: 1,
    },
    beforeAfter: {
      intervention: { label: 'Fast-Track Discharge rule', date: '2025-03-01' },
      periodColumn: 'discharge_month',
      comparisons: [comparison({ ward: 'Surgery' }), comparison({}), comparison({ ward: 'Oncology' })],
    },
  };
}

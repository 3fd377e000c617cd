/** The chart cell's small form: source, type, columns, aggregate, titles and formats. */
import { useId, type ReactNode } from 'react';
import { columnsUsableAs, type SourceColumn } from '../../charts/columns';
import {
  aggregatesFor,
  BAR_MODES,
  CHART_TYPES,
  DATE_FORMATS,
  NUMBER_FORMATS,
  TIME_UNITS,
  effectiveAggregate,
  needsX,
  needsY,
  type ChartConfig,
} from '../../charts/config';

const TYPE_LABELS: Record<ChartConfig['type'], string> = {
  line: 'Line',
  area: 'Area',
  bar: 'Bar',
  scatter: 'Scatter',
  histogram: 'Histogram',
  kpi: 'KPI number',
};

const AGGREGATE_LABELS: Record<ChartConfig['aggregate'], string> = {
  none: 'None (each row)',
  sum: 'Sum',
  avg: 'Average',
  count: 'Count of rows',
  min: 'Minimum',
  max: 'Maximum',
  rate: 'Rate (share true)',
};

export interface ChartEditorProps {
  config: ChartConfig;
  /** The source's columns once known. */
  columns: SourceColumn[] | undefined;
  sources: string[];
  onChange(config: ChartConfig): void;
}

/** The label stands apart from its control so the control's name is the label's text alone. */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="chart-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

function Choice<T extends string>(props: {
  label: string;
  value: T | undefined;
  options: readonly T[];
  names?: Partial<Record<T, string>>;
  empty?: string;
  onChange(value: T | undefined): void;
}) {
  const { label, value, options, names, empty, onChange } = props;
  const known = value === undefined || options.includes(value);
  return (
    <Field label={label}>
      {(id) => (
        <select
          id={id}
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : (e.target.value as T))}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {!known && <option value={value}>{value} (not in the source)</option>}
          {options.map((o) => (
            <option key={o} value={o}>
              {names?.[o] ?? o}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function Text(props: { label: string; value: string; onChange(value: string): void }) {
  return (
    <Field label={props.label}>
      {(id) => (
        <input id={id} type="text" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
      )}
    </Field>
  );
}

function Count(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange(value: number): void;
}) {
  return (
    <Field label={props.label}>
      {(id) => (
        <input
          id={id}
          type="number"
          min={props.min}
          max={props.max}
          value={props.value}
          onChange={(e) => {
            const n = Math.round(Number(e.target.value));
            if (Number.isFinite(n)) props.onChange(Math.min(props.max, Math.max(props.min, n)));
          }}
        />
      )}
    </Field>
  );
}

type Mark = ChartConfig['marks'][number];

/** The first reference line: an x value (a date as YYYY-MM-DD, a number or a category) and its label. */
function ReferenceLineFields({
  mark,
  onChange,
}: {
  mark: Mark | undefined;
  onChange(m: Mark | undefined): void;
}) {
  const value = mark && mark.axis === 'x' ? String(mark.value) : '';
  return (
    <>
      <Text
        label="Reference line at x"
        value={value}
        onChange={(v) =>
          onChange(v.trim() ? { axis: 'x', value: v.trim(), label: mark?.label ?? '' } : undefined)
        }
      />
      {mark && (
        <Text
          label="Reference line label"
          value={mark.label}
          onChange={(label) => onChange({ ...mark, label })}
        />
      )}
    </>
  );
}

/** Error bars need both ends; choosing no low end removes them. */
/** What the interval is drawn as: error bars on bars, a band around lines and areas. */
function intervalName(type: ChartConfig['type']): string {
  return type === 'bar' ? 'Error bar' : 'Interval band';
}

function intervalOf(low: string | undefined, high: string | undefined): ChartConfig['interval'] {
  return low && high ? { low, high } : undefined;
}

export function ChartEditor({ config, columns, sources, onChange }: ChartEditorProps) {
  const set = (patch: Partial<ChartConfig>) => onChange({ ...config, ...patch });
  const names = (role: 'x' | 'y' | 'series') =>
    columns ? columnsUsableAs(role, columns).map((c) => c.name) : [];
  const xKind = columns?.find((c) => c.name === config.x)?.kind;
  const aggregate = effectiveAggregate(config);
  return (
    <form className="chart-editor" aria-label="Chart settings" onSubmit={(e) => e.preventDefault()}>
      <Choice
        label="Source cell"
        value={config.source || undefined}
        options={sources}
        empty="Choose…"
        onChange={(v) => set({ source: v ?? '' })}
      />
      <Choice
        label="Chart type"
        value={config.type}
        options={CHART_TYPES}
        names={TYPE_LABELS}
        onChange={(type) => {
          if (!type) return;
          const allowed = aggregatesFor(type);
          set({ type, aggregate: allowed.includes(config.aggregate) ? config.aggregate : allowed[0] });
        }}
      />
      {config.type === 'bar' && (
        <Choice
          label="Bars"
          value={config.barMode}
          options={BAR_MODES}
          onChange={(v) => v && set({ barMode: v })}
        />
      )}
      <Choice
        label={
          config.type === 'histogram'
            ? 'Column to bin'
            : config.type === 'kpi'
              ? 'Period column (x)'
              : 'X axis'
        }
        value={config.x}
        options={names('x')}
        empty={needsX(config) ? 'Choose…' : '(none: all rows)'}
        onChange={(x) => set({ x })}
      />
      {needsY(config) && (
        <Choice
          label="Values (y)"
          value={config.y}
          options={names('y')}
          empty="Choose…"
          onChange={(y) => set({ y })}
        />
      )}
      {config.type !== 'kpi' && (
        <Choice
          label="Series"
          value={config.series}
          options={names('series')}
          empty="(none)"
          onChange={(series) => set({ series })}
        />
      )}
      {(config.type === 'bar' || config.type === 'line' || config.type === 'area') && (
        <>
          <Choice
            label={`${intervalName(config.type)} low`}
            value={config.interval?.low}
            options={names('y')}
            empty="(none)"
            onChange={(low) => set({ interval: intervalOf(low, config.interval?.high ?? low) })}
          />
          {config.interval && (
            <Choice
              label={`${intervalName(config.type)} high`}
              value={config.interval.high}
              options={names('y')}
              onChange={(high) => set({ interval: intervalOf(config.interval?.low, high) })}
            />
          )}
        </>
      )}
      <Choice
        label="Aggregate"
        value={aggregate}
        options={aggregatesFor(config.type)}
        names={AGGREGATE_LABELS}
        onChange={(v) => v && set({ aggregate: v })}
      />
      {(xKind === 'time' || config.type === 'kpi') &&
        config.type !== 'histogram' &&
        config.type !== 'scatter' && (
          <Choice
            label={config.type === 'kpi' ? 'Period' : 'Time unit'}
            value={config.timeUnit}
            options={TIME_UNITS}
            empty={config.type === 'line' || config.type === 'area' ? '(as is)' : '(month)'}
            onChange={(timeUnit) => set({ timeUnit })}
          />
        )}
      {config.type === 'histogram' && (
        <Count label="Bins" value={config.bins} min={1} max={400} onChange={(bins) => set({ bins })} />
      )}
      {config.type === 'bar' && xKind !== 'time' && (
        <Count
          label="Bars before “Other”"
          value={config.topN}
          min={1}
          max={100}
          onChange={(topN) => set({ topN })}
        />
      )}
      <Text label="Title" value={config.title} onChange={(title) => set({ title })} />
      {config.type !== 'kpi' && (
        <Text label="X axis title" value={config.xTitle} onChange={(xTitle) => set({ xTitle })} />
      )}
      {config.type !== 'kpi' && (
        <Text label="Y axis title" value={config.yTitle} onChange={(yTitle) => set({ yTitle })} />
      )}
      <Text label="Unit" value={config.unit} onChange={(unit) => set({ unit })} />
      <Choice
        label="Number format"
        value={config.yFormat}
        options={NUMBER_FORMATS}
        onChange={(v) => v && set({ yFormat: v })}
      />
      {xKind === 'time' && (
        <Choice
          label="Date format"
          value={config.xFormat}
          options={DATE_FORMATS}
          onChange={(v) => v && set({ xFormat: v })}
        />
      )}
      {config.type !== 'kpi' && (
        <ReferenceLineFields
          mark={config.marks[0]}
          onChange={(mark) => set({ marks: mark ? [mark, ...config.marks.slice(1)] : config.marks.slice(1) })}
        />
      )}
    </form>
  );
}

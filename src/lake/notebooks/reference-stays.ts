/**
 * The review's stays computed again in plain TypeScript, for its tests: the data window, the index stays
 * with complete look-back and follow-up, and their 7- and 30-day outcomes.
 */

export const DAY = 86_400_000;

export interface Stay {
  patient: string;
  ward: string;
  group: string;
  admit: number;
  discharge: number;
  losHours: number;
  died: boolean;
}
export interface IndexStay extends Stay {
  month: string;
  after: boolean;
  r7: number;
  r30: number;
}

const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7) + '-01';
const addMonths = (month: string, n: number) => {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
};

export interface DataWindow {
  first: number;
  feedEnd: number;
  firstMonth: string;
  lastMonth: string;
}

/** The feed ends after the last day with at least half the median daily number of admissions. */
export function referenceWindow(stays: readonly Stay[]): DataWindow {
  const daily = new Map<number, number>();
  for (const s of stays)
    daily.set(Math.floor(s.admit / DAY), (daily.get(Math.floor(s.admit / DAY)) ?? 0) + 1);
  const usual = median([...daily.values()]);
  const lastFullDay = Math.max(...[...daily].filter(([, n]) => n >= usual / 2).map(([d]) => d));
  const feedEnd = (lastFullDay + 1) * DAY;
  const first = Math.min(...stays.map((s) => s.admit));
  return {
    first,
    feedEnd,
    firstMonth: addMonths(monthOf(first + 30 * DAY - 1), 1),
    lastMonth: addMonths(monthOf(feedEnd - 30 * DAY), -1),
  };
}

/** Live discharges with a complete look-back and follow-up, in a complete month, and their outcomes. */
export function referenceIndexStays(stays: readonly Stay[], w: DataWindow, ruleDate: number): IndexStay[] {
  const byPatient = new Map<string, Stay[]>();
  for (const s of stays) byPatient.set(s.patient, [...(byPatient.get(s.patient) ?? []), s]);
  const index: IndexStay[] = [];
  for (const list of byPatient.values()) {
    list.sort((a, b) => a.admit - b.admit);
    list.forEach((s, i) => {
      const next = list[i + 1]?.admit ?? Infinity;
      const month = monthOf(s.discharge);
      const inside =
        !s.died &&
        s.admit >= w.first + 30 * DAY &&
        s.discharge <= w.feedEnd - 30 * DAY &&
        month >= w.firstMonth &&
        month <= w.lastMonth;
      if (inside)
        index.push({
          ...s,
          month,
          after: s.discharge >= ruleDate,
          r7: next <= s.discharge + 7 * DAY ? 1 : 0,
          r30: next <= s.discharge + 30 * DAY ? 1 : 0,
        });
    });
  }
  return index;
}

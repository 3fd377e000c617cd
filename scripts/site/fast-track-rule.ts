/**
 * The day the Fast-Track Discharge rule started, read from its source of record: the audit event that switched
 * the rule on (`evergreen_audit_events`). The first Fast-Track discharge form is a second witness: when it falls
 * on another day the build says so, because either the audit log or the forms then tell a different story.
 */
import type { Manifest } from '../../src/lake/manifest.ts';
import { queryJson, type Duck } from '../lake/duck.ts';
import { dropViews, registerTables } from '../lake/lake-views.ts';

export const RULE_EVENT = {
  table: 'evergreen_audit_events',
  action: 'policy.enable',
  resource: 'rule:fast-track-discharge',
  outcome: 'applied',
} as const;
const FORMS_TABLE = 'evergreen_discharge_forms';

export interface RuleStart {
  /** The UTC day of the first audit event that applied the rule, `YYYY-MM-DD`. */
  date: string;
  source: string;
  /** The UTC day of the first Fast-Track discharge form, when the lake has the forms. */
  firstFormDate?: string;
  /** Build messages: what the date rests on, and a warning when the forms disagree. */
  messages: BuildMessage[];
}

export interface BuildMessage {
  level: 'info' | 'warning';
  text: string;
}

export class RuleStartError extends Error {
  override name = 'RuleStartError';
}

export async function fastTrackRuleStart(
  conn: Duck,
  lakeDir: string,
  manifest: Manifest,
): Promise<RuleStart> {
  const has = (name: string) => manifest.tables.some((t) => t.name === name && t.files.length > 0);
  if (!has(RULE_EVENT.table))
    throw new RuleStartError(
      `The lake has no ${RULE_EVENT.table} table, so the Fast-Track rule's start cannot be read from its record. ` +
        'Ingest the Evergreen audit feed (npm run lake -- ingest) before building the metric packs.',
    );
  const tables = has(FORMS_TABLE) ? [RULE_EVENT.table, FORMS_TABLE] : [RULE_EVENT.table];
  await registerTables(conn, lakeDir, manifest, tables);
  try {
    const [event] = await queryJson(
      conn,
      `SELECT strftime(event_time, '%Y-%m-%d') AS day, event_id
       FROM ${RULE_EVENT.table}
       WHERE action = '${RULE_EVENT.action}' AND resource = '${RULE_EVENT.resource}' AND outcome = '${RULE_EVENT.outcome}'
       ORDER BY event_time, event_id LIMIT 1`,
    );
    if (!event)
      throw new RuleStartError(
        `${RULE_EVENT.table} holds no ${RULE_EVENT.action} event of ${RULE_EVENT.resource} with outcome ` +
          `${RULE_EVENT.outcome}, so the Fast-Track rule's start is unknown. Check the audit feed for the policy change.`,
      );
    const date = String(event.day);
    const source = `${RULE_EVENT.table}: event ${String(event.event_id)} (${RULE_EVENT.action} ${RULE_EVENT.resource})`;
    const messages: BuildMessage[] = [
      { level: 'info', text: `Fast-Track rule start ${date}, from ${source}.` },
    ];
    let firstFormDate: string | undefined;
    if (!tables.includes(FORMS_TABLE))
      messages.push({
        level: 'warning',
        text: `The lake has no ${FORMS_TABLE} table, so the rule's start ${date} is unchecked.`,
      });
    else {
      const [form] = await queryJson(
        conn,
        `SELECT strftime(min(submitted_at), '%Y-%m-%d') AS day FROM ${FORMS_TABLE} WHERE fast_track`,
      );
      firstFormDate = form?.day == null ? undefined : String(form.day);
      if (!firstFormDate)
        messages.push({
          level: 'warning',
          text: `No Fast-Track discharge form in ${FORMS_TABLE}, so the rule's start ${date} is unchecked.`,
        });
      else if (firstFormDate !== date)
        messages.push({
          level: 'warning',
          text:
            `The audit log starts the Fast-Track rule on ${date}, but the first Fast-Track discharge form ` +
            `is dated ${firstFormDate} (${dayGap(date, firstFormDate)}). The before/after summaries use the audit ` +
            'date; check the audit log and the forms if the rule did not start then.',
        });
    }
    return { date, source, ...(firstFormDate ? { firstFormDate } : {}), messages };
  } finally {
    await dropViews(conn, tables);
  }
}

function dayGap(from: string, to: string): string {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return days > 0 ? `${days} day(s) later` : `${-days} day(s) earlier`;
}

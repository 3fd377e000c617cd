import type { AuditStore } from '../../../gov/audit-store';
import type { AuditInput } from '../../../gov/audit';
import type { AuditExport, AuditStatus, AuditVerification } from '../../../contract/governance';
import { AUDIT_COLUMNS, auditTableIpc } from '../../../gov/audit-table';
import { quoteIdent } from '../../../gov/sql-text';
import { AUDIT_TABLE, type RoleView, type Session } from '../../../gov/types';
import type { Manifest } from '../../../lake/manifest';
import { EngineFailure, fail } from '../../errors';
import type { RoleEngineHooks, QueryOutcome } from './engine-hooks';
import { memoryAuditStore } from './memory-audit-store';
import {
  applyTagOverlay,
  describeTagChange,
  tagsBefore,
  TagChangeError,
  validateTagChange,
  withChange,
  type TagOverlay,
} from './tag-overlay';
import { memoryTagStore, type TagStore } from './tag-store';
import { selfWidening } from './self-widening';

export interface GovernanceStorage {
  openAudit(): Promise<AuditStore>;
  openTags(): Promise<TagStore>;
}

/**
 * The engine worker's side of governance: it sees every guard decision and appends each one to the
 * hash-chained audit log, fills `audit_log` for roles that may read it, and keeps the catalog's tag overlay.
 * Permissions are checked here, where the decisions are made, not only by hiding buttons.
 */
export class WorkerGovernance {
  private overlay: TagOverlay = [];

  private constructor(
    private readonly audit: AuditStore,
    private readonly tags: TagStore,
    readonly status: AuditStatus,
    private readonly lakeUrl: string,
    private baseManifest: Manifest,
  ) {}

  /** Opens the stores; without IndexedDB both live in memory and `status` says so. */
  static async open(
    storage: GovernanceStorage | undefined,
    lakeUrl: string,
    manifest: Manifest,
  ): Promise<WorkerGovernance> {
    let audit: AuditStore;
    let tags: TagStore;
    let status: AuditStatus;
    try {
      if (!storage) throw new Error('no persistent storage in this engine');
      [audit, tags] = await Promise.all([storage.openAudit(), storage.openTags()]);
      status = { persistent: true };
    } catch (e) {
      audit = memoryAuditStore();
      tags = memoryTagStore();
      const reason = e instanceof Error ? e.message : String(e);
      status = {
        persistent: false,
        problem: `The audit log and tag changes are kept in memory only and end with this tab (${reason}).`,
      };
    }
    const governance = new WorkerGovernance(audit, tags, status, lakeUrl, manifest);
    governance.overlay = await tags.read(lakeUrl).catch(() => []);
    return governance;
  }

  /** The lake's manifest with this browser's tag changes applied. */
  manifest(): Manifest {
    return applyTagOverlay(this.baseManifest, this.overlay);
  }

  /**
   * The catalog of the lake folder now served (another role's prepared folder after a switch). Tag changes
   * are kept for the whole site and apply to whichever folder's catalog lists their table.
   */
  replaceCatalog(manifest: Manifest): Manifest {
    this.baseManifest = manifest;
    return this.manifest();
  }

  hooksFor(view: RoleView): RoleEngineHooks {
    const extraTables = view.can.readAudit ? [{ name: AUDIT_TABLE, columns: [...AUDIT_COLUMNS] }] : [];
    return {
      extraTables,
      beforeRun: async (objects, user) => {
        if (!view.can.readAudit || !objects.includes(AUDIT_TABLE)) return;
        const entries = await this.audit.entries();
        user.query(`DELETE FROM ${quoteIdent(AUDIT_TABLE)}`);
        if (entries.length > 0) user.insertIpc(AUDIT_TABLE, auditTableIpc(entries), false);
      },
      record: (outcome) => this.recordQuery(view.session, outcome),
    };
  }

  async recordQuery(session: Session, outcome: QueryOutcome): Promise<void> {
    await this.append({
      action: 'query',
      ...who(session),
      statement: outcome.sql,
      decision: outcome.decision,
      reason: outcome.reason,
      objects: outcome.objects,
      rules: outcome.rules,
      tags: outcome.tags,
      rows: outcome.rows,
      durationMs: Math.max(0, outcome.durationMs),
    });
  }

  async recordRoleChange(from: Session | undefined, to: Session): Promise<void> {
    const before = from ? `${from.user} as ${from.role}` : 'no one';
    await this.append({
      action: 'role-change',
      ...who(to),
      statement: `session: ${before} -> ${to.user} as ${to.role}`,
      decision: 'allow',
      objects: [],
      rules: [],
      rows: null,
      durationMs: 0,
    });
  }

  /** Files added to (or erased from) this browser's own lake zones: what, which tables, how many rows. */
  async recordLocalData(
    session: Session,
    action: 'ingest' | 'erase-local',
    statement: string,
    objects: string[],
    rows: number,
  ): Promise<void> {
    await this.append({
      action,
      ...who(session),
      statement,
      decision: 'allow',
      objects,
      rules: [],
      rows,
      durationMs: 0,
    });
  }

  /**
   * Applies a tag change for a role that may change tags, records it (allowed or refused) and returns the
   * manifest the next role view must be built from. `viewOf` builds the changer's role view over a
   * manifest: a change that would widen it is refused (separation of duties).
   */
  async changeTags(
    view: RoleView,
    input: unknown,
    viewOf: (manifest: Manifest) => RoleView,
  ): Promise<Manifest> {
    const started = now();
    const current = this.manifest();
    const base = { ...who(view.session), action: 'tag-change' as const, rows: null, rules: [] };
    let change;
    try {
      change = validateTagChange(current, input);
    } catch (e) {
      if (e instanceof TagChangeError) fail('RUNTIME', e.message);
      throw e;
    }
    const statement = describeTagChange(tagsBefore(current, change), change);
    const objects = [change.column ? `${change.table}.${change.column}` : change.table];
    const refuse = async (reason: string): Promise<never> => {
      await this.append({
        ...base,
        statement,
        objects,
        decision: 'deny',
        reason,
        durationMs: now() - started,
      });
      fail('DENIED', reason);
    };
    if (!view.can.changeTags)
      await refuse(`${view.session.role} may not change tags (permission changeTags). Ask a DataSteward.`);
    const overlay = withChange(this.overlay, change);
    const widened = selfWidening(viewOf(current), viewOf(applyTagOverlay(this.baseManifest, overlay)));
    if (widened.length > 0) {
      const { user, role } = view.session;
      await refuse(
        `${user} (${role}) may not make this change: it would widen their own access (${widened.join('; ')}). Another person with the changeTags permission must make or approve it.`,
      );
    }
    await this.tags.write(this.lakeUrl, overlay);
    this.overlay = overlay;
    await this.append({ ...base, statement, objects, decision: 'allow', durationMs: now() - started });
    return this.manifest();
  }

  async verify(view: RoleView): Promise<AuditVerification> {
    this.requireAuditor(view);
    const [report, entries] = await Promise.all([this.audit.verify(), this.audit.entries()]);
    return { ok: report.ok, entries: entries.length, problems: report.problems };
  }

  async export(view: RoleView): Promise<AuditExport> {
    this.requireAuditor(view);
    const jsonl = await this.audit.exportJsonl();
    const entries = jsonl === '' ? 0 : jsonl.trimEnd().split('\n').length;
    await this.append({
      action: 'export',
      ...who(view.session),
      statement: 'export audit log as JSONL',
      decision: 'allow',
      objects: [AUDIT_TABLE],
      rules: [],
      rows: entries,
      durationMs: 0,
    });
    return { jsonl, entries };
  }

  private requireAuditor(view: RoleView): void {
    if (!view.can.readAudit)
      fail('DENIED', `${view.session.role} may not read the audit log (permission readAudit).`);
  }

  private async append(input: AuditInput): Promise<void> {
    try {
      await this.audit.append(input);
    } catch (e) {
      // No decision goes unrecorded: when the log cannot be written, the answer is withheld.
      throw new EngineFailure({
        code: 'INTERNAL',
        message: `The audit log could not be written (${e instanceof Error ? e.message : String(e)}), so the answer is withheld.`,
        hint: 'Free some browser storage or close other Lakebook tabs, then run the cell again.',
      });
    }
  }
}

function who(session: Session) {
  return { user: session.user, role: session.role, time: new Date().toISOString() };
}

function now(): number {
  return performance.now();
}

/** Governance requests from the UI: tag changes, and the audit log's verification and export. */
import { toCellError } from './run-state';
import type { CellRun, GetState, NotebookState, SetState, StoreDeps } from './store-types';

type GovernanceActions = Pick<NotebookState, 'changeTags' | 'verifyAudit' | 'exportAudit'>;

export function createGovernanceActions(set: SetState, get: GetState, deps: StoreDeps): GovernanceActions {
  const api = () => {
    const governance = deps.connector.governance;
    if (!governance) get().notify('error', 'This engine does not offer governance requests.');
    return governance;
  };
  const failed = (what: string, e: unknown) => {
    get().notify('error', `${what}: ${toCellError(e).message}`);
    return undefined;
  };
  /** Results computed under the old tags stay on screen but no longer stand for what a re-run returns. */
  const staled = (runs: Record<string, CellRun>) =>
    Object.fromEntries(Object.entries(runs).map(([id, r]) => [id, r.result ? { ...r, stale: true } : r]));

  return {
    async changeTags(change) {
      const governance = api();
      if (!governance) return false;
      const before = get().engine;
      set({ engine: { ...before, status: 'switching', progress: undefined } });
      try {
        const info = await governance.changeTags(change);
        set((s) => ({ engine: { status: 'ready', info }, runs: staled(s.runs) }));
        const name = change.column ? `${change.table}.${change.column}` : change.table;
        const tags = change.tags.length > 0 ? change.tags.join(', ') : 'the table’s tags';
        get().notify('info', `Tags of ${name} set to ${tags}. They apply from the next query.`);
        return true;
      } catch (e) {
        set({ engine: { ...before, status: before.status === 'switching' ? 'ready' : before.status } });
        failed('The tags were not changed', e);
        return false;
      }
    },

    async verifyAudit() {
      try {
        return await api()?.verifyAudit();
      } catch (e) {
        return failed('The audit log could not be verified', e);
      }
    },

    async exportAudit() {
      try {
        return await api()?.exportAudit();
      } catch (e) {
        return failed('The audit log could not be exported', e);
      }
    },
  };
}

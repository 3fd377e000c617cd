/**
 * Who is working and what the role may do, in the side panel. Roles that may read the audit log verify its
 * hash chain and export it here; the log itself is the `audit_log` table in SQL cells.
 */
import { useState } from 'react';
import type { AuditVerification } from '../../contract/governance';
import { useApp, useNotebook } from '../app-context';
import './governance.css';

function permissionsText(can: { changeTags: boolean; readAudit: boolean; exportPhi: boolean }): string {
  const list = [
    can.changeTags && 'change tags',
    can.readAudit && 'read the audit log',
    can.exportPhi && 'export PHI',
  ].filter((x): x is string => typeof x === 'string');
  return list.length > 0 ? `May ${list.join(', ')}.` : 'Reads only what the policy grants.';
}

function verificationText(v: AuditVerification): string {
  if (v.ok) return `Audit log verified: ${v.entries} entries, the hash chain is intact.`;
  const shown = v.problems.slice(0, 5).map((p) => `entry ${p.index}: ${p.problem}`);
  const more = v.problems.length > shown.length ? ` (and ${v.problems.length - shown.length} more)` : '';
  return `Audit log verification failed: ${shown.join('; ')}${more}.`;
}

function AuditTools() {
  const { store, ui } = useApp();
  const [verification, setVerification] = useState<AuditVerification>();
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setVerification(await store.getState().verifyAudit());
    setBusy(false);
  };
  const exportLog = async () => {
    setBusy(true);
    const exported = await store.getState().exportAudit();
    setBusy(false);
    if (!exported) return;
    const day = new Date().toISOString().slice(0, 10);
    ui.download(`lakebook-audit-${day}.jsonl`, [exported.jsonl], 'application/x-ndjson');
    store.getState().notify('info', `Exported ${exported.entries} audit entries as JSONL.`);
  };

  return (
    <div className="audit-tools">
      <p className="muted">
        Query the log as <code>audit_log</code> in a SQL cell.
      </p>
      <div className="button-row">
        <button type="button" onClick={() => void verify()} disabled={busy}>
          Verify audit log
        </button>
        <button type="button" onClick={() => void exportLog()} disabled={busy}>
          Export audit log (JSONL)
        </button>
      </div>
      {verification && (
        <p
          className={verification.ok ? 'audit-ok' : 'audit-broken'}
          role={verification.ok ? 'status' : 'alert'}
          aria-label="Audit log verification"
        >
          {verificationText(verification)}
        </p>
      )}
    </div>
  );
}

export function GovernancePanel() {
  const session = useNotebook((s) => s.session);
  const info = useNotebook((s) => s.engine.info);
  const can = info?.view.session.role === session.role ? info.view.can : undefined;
  return (
    <section className="governance" aria-label="Access">
      <h2>Access</h2>
      <p>
        Signed in as <strong>{session.user}</strong> with role <strong>{session.role}</strong>.
      </p>
      {can && <p className="muted">{permissionsText(can)}</p>}
      {can?.changeTags && <p className="muted">Change a table’s or column’s tags from the catalog.</p>}
      {info?.audit && !info.audit.persistent && (
        <p className="audit-broken" role="alert">
          {info.audit.problem}
        </p>
      )}
      {can?.readAudit && <AuditTools />}
    </section>
  );
}

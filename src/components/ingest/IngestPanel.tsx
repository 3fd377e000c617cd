/**
 * Adding files to the lake from this browser: dropped or picked JSON, JSON lines, CSV and Parquet files go
 * through the lake's table contracts into this browser's own raw and curated zones (tables named `local_…`,
 * listed in the catalog with their tags). They stay in this browser until the user erases them.
 */
import { useMemo, useState, type DragEvent } from 'react';
import { LOCAL_TAG } from '../../lake/local-zone';
import type { IngestFile, IngestFileReport } from '../../contract/ingest';
import { useApp, useNotebook } from '../app-context';
import { ACCEPTED_FILES, reportSummary } from './ingest-text';
import './ingest.css';

async function readFiles(list: FileList | null): Promise<IngestFile[]> {
  const files = [...(list ?? [])];
  return Promise.all(
    files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
}

function Reports({ reports }: { reports: IngestFileReport[] }) {
  return (
    <div role="status" aria-label="Ingest result" className="ingest-result">
      {reports.map((r, i) => (
        <div key={`${r.file}-${i}`} className={r.error ? 'ingest-refused' : undefined}>
          <p>{reportSummary(r)}</p>
          {r.note && <p className="muted">{r.note}</p>}
          {r.rejects.length > 0 && (
            <ul aria-label={`Rejected events of ${r.file}`}>
              {r.rejects.map((x) => (
                <li key={x.line}>
                  line {x.line}: {x.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

function EraseLocalData({ disabled }: { disabled: boolean }) {
  const { store } = useApp();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} disabled={disabled}>
        Erase local data
      </button>
    );
  return (
    <div role="group" aria-label="Confirm erasing local data" className="ingest-confirm">
      <p>Erase every file added in this browser and the tables built from them? This cannot be undone.</p>
      <div className="button-row">
        <button
          type="button"
          onClick={() => {
            setAsking(false);
            void store.getState().eraseLocalData();
          }}
        >
          Erase
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          Keep
        </button>
      </div>
    </div>
  );
}

export function IngestPanel() {
  const { store } = useApp();
  const status = useNotebook((s) => s.engine.status);
  const manifest = useNotebook((s) => s.engine.info?.manifest);
  const localTables = useMemo(
    () => (manifest?.tables ?? []).filter((t) => t.tags.includes(LOCAL_TAG)),
    [manifest],
  );
  const [reports, setReports] = useState<IngestFileReport[]>();
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const ready = status === 'ready' && !busy;

  const ingest = async (list: FileList | null) => {
    const files = await readFiles(list);
    if (files.length === 0) return;
    setBusy(true);
    setReports(undefined);
    setReports(await store.getState().ingestFiles(files));
    setBusy(false);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (ready) void ingest(e.dataTransfer.files);
  };

  return (
    <section className="ingest" aria-label="Local data">
      <h2>Local data</h2>
      <div
        className={`ingest-drop ${over ? 'over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className="muted">
          Drop JSON, JSON lines, CSV or Parquet files here. Event files named after a lake source (for example{' '}
          <code>evergreen_adt-….jsonl</code>) are checked against its contract; they stay in this browser
          only.
        </p>
        <label className="ingest-pick">
          Add files to the lake
          <input
            type="file"
            multiple
            accept={ACCEPTED_FILES}
            disabled={!ready}
            onChange={(e) => {
              const input = e.currentTarget;
              void ingest(input.files).finally(() => {
                input.value = '';
              });
            }}
          />
        </label>
      </div>
      {busy && <p role="status">Adding files…</p>}
      {reports && <Reports reports={reports} />}
      {localTables.length > 0 && (
        <>
          <p className="muted">
            In this browser: {localTables.map((t) => `${t.name} (${t.rowCount} rows)`).join(', ')}.
          </p>
          <EraseLocalData disabled={!ready} />
        </>
      )}
    </section>
  );
}

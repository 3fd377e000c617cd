import type { EngineError, ExportedFile, QueryResult } from '../../../contract/results';
import type { RequestEnvelope, WorkerMessage } from '../../protocol';
import { joinIpc } from '../../../contract/ipc-bytes';
import type { ParquetWriter } from './parquet-writer';

/**
 * Exports in the worker. An `export` request runs as an ordinary `query` (same queue, guard, role view,
 * budgets, cancel and audit), and its answer is turned into a file before it leaves the worker. The worker
 * registers this in front of the engine host: requests pass through `handle`, replies through `post`.
 *
 * A result tagged PHI leaves as a file only for a role that may export PHI. The permission is read from the
 * role view the host itself answered with; until the host has answered, nothing counts as permitted.
 */
export interface ExporterDeps {
  /** Resolves once parquet-wasm is ready. */
  writer(): Promise<ParquetWriter>;
  /** Hands a request to the engine host. */
  forward(envelope: RequestEnvelope): void;
  /** Sends a message to the main thread. */
  post(message: WorkerMessage, transfer?: Transferable[]): void;
}

interface PendingExport {
  format: 'parquet';
}

export class ResultExporter {
  private readonly pending = new Map<number, PendingExport>();
  private exportPhi = false;
  private role = '';

  constructor(private readonly deps: ExporterDeps) {}

  handle(envelope: RequestEnvelope): void {
    const { id, request } = envelope;
    if (request.kind === 'export') {
      const { kind: _kind, format, ...query } = request;
      this.pending.set(id, { format });
      this.deps.forward({ id, request: { kind: 'query', ...query } });
      return;
    }
    // A new role is being prepared: nothing may be exported as the old one's permission.
    if (request.kind === 'init' || request.kind === 'setSession') this.exportPhi = false;
    this.deps.forward(envelope);
  }

  post(message: WorkerMessage, transfer: Transferable[] = []): void {
    if ('progress' in message) return this.deps.post(message, transfer);
    if (message.ok) this.noteView(message.value);
    const pending = this.pending.get(message.id);
    if (!pending) return this.deps.post(message, transfer);
    this.pending.delete(message.id);
    if (!message.ok) return this.deps.post(message);
    void this.toFile(message.id, message.value as QueryResult);
  }

  private async toFile(id: number, result: QueryResult): Promise<void> {
    if (result.tags.includes('PHI') && !this.exportPhi) {
      this.deps.post({ id, ok: false, error: this.phiRefusal(result) });
      return;
    }
    try {
      const write = await this.deps.writer();
      const file: ExportedFile = {
        format: 'parquet',
        bytes: write(joinIpc(result.ipc)),
        rowCount: result.rowCount,
        truncated: result.truncated,
        tags: result.tags,
      };
      this.deps.post({ id, ok: true, value: file }, [file.bytes.buffer as ArrayBuffer]);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.deps.post({
        id,
        ok: false,
        error: { code: 'INTERNAL', message: `The result could not be written as Parquet: ${reason}` },
      });
    }
  }

  private phiRefusal(result: QueryResult): EngineError {
    const sources = result.objects.length > 0 ? ` (from ${result.objects.join(', ')})` : '';
    return {
      code: 'DENIED',
      message: `This result holds PHI${sources}, and ${this.role || 'this role'} may not export PHI.`,
      hint: 'Leave out the PHI columns or aggregate them away, or ask a role that may export PHI.',
    };
  }

  /** Replies that describe the role's engine (start, role switch, rebuilds) carry the current permissions. */
  private noteView(value: unknown): void {
    const view = (value as { view?: { can?: { exportPhi?: unknown }; session?: { role?: unknown } } })?.view;
    if (typeof view?.can?.exportPhi !== 'boolean') return;
    this.exportPhi = view.can.exportPhi;
    this.role = typeof view.session?.role === 'string' ? view.session.role : '';
  }
}

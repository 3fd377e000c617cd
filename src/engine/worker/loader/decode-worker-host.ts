import { flatten, type DecodePort, type DecodeReply, type DecodeRequest } from './decode-worker-protocol';
import type { ListedParquetSource, ListingParquetDecoder } from './parquet-decoder';

interface OpenSource {
  source: ListedParquetSource;
  reads: Set<Promise<Uint8Array>>;
}

/**
 * The decode worker's side: opens and reads files with `decoder` as the engine worker asks, and hands each
 * chunk's Arrow IPC over by transfer, so the bytes move instead of being copied.
 */
export function serveDecoder(decoder: ListingParquetDecoder, port: DecodePort): void {
  const sources = new Map<number, OpenSource>();
  let nextSource = 1;
  const reply = (message: DecodeReply, transfer: Transferable[] = []) => port.postMessage(message, transfer);

  async function handle(request: DecodeRequest): Promise<void> {
    if (request.kind === 'close') {
      const open = sources.get(request.source);
      if (!open) return;
      sources.delete(request.source);
      // A chunk read ahead may still be running when a stopped load closes its file: free it afterwards.
      await Promise.allSettled(open.reads);
      open.source.close();
      return;
    }
    try {
      if (request.kind === 'open') {
        const source = await decoder.open(request.url, request.bytes, request.rowGroups);
        const id = nextSource++;
        sources.set(id, { source, reads: new Set() });
        const { rowGroups, stats, rowsLeftOut } = source;
        reply({
          kind: 'opened',
          id: request.id,
          opened: { source: id, rowGroups, stats, rowsLeftOut, columns: [...source.columns] },
        });
        return;
      }
      const open = sources.get(request.source);
      if (!open) throw new Error(`the file was closed before chunk ${request.id} was read`);
      const pending = open.source.read(request.rowGroups, request.columns);
      open.reads.add(pending);
      const ipc = ownBuffer(await pending.finally(() => open.reads.delete(pending)));
      reply({ kind: 'ipc', id: request.id, ipc }, [ipc.buffer]);
    } catch (e) {
      reply({ kind: 'failed', id: request.id, error: flatten(e) });
    }
  }

  port.addEventListener('message', (event) => void handle((event as MessageEvent<DecodeRequest>).data));
}

/** A view that spans its whole ArrayBuffer, so transferring the buffer moves exactly these bytes. */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole && bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}

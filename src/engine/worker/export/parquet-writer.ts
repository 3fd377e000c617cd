import type * as ParquetWasmModule from 'parquet-wasm/esm';

/**
 * Writing a result as Parquet with parquet-wasm's writer, straight from the Arrow IPC stream the engine
 * produced: no row objects, no second copy in JavaScript. The module is injected (the browser build in the
 * worker, the Node build in tests).
 */
export type ParquetWasmWriter = Pick<
  typeof ParquetWasmModule,
  'Table' | 'writeParquet' | 'WriterPropertiesBuilder' | 'Compression'
>;

export type ParquetWriter = (ipc: Uint8Array) => Uint8Array;

export function parquetWriter(pw: ParquetWasmWriter): ParquetWriter {
  return (ipc) => {
    const table = pw.Table.fromIPCStream(ipc);
    // Snappy: every Parquet reader knows it, and it costs little time for a file the user waits for.
    const properties = new pw.WriterPropertiesBuilder()
      .setCompression(pw.Compression.SNAPPY)
      .setCreatedBy('Lakebook')
      .build();
    return pw.writeParquet(table, properties);
  };
}

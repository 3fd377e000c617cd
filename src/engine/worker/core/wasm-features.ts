/**
 * Whether this browser's WebAssembly has exceptions: the same probe duckdb-wasm's `selectBundle` makes (a
 * module with one try block), without loading duckdb-wasm's script to make it.
 */
const TRY_BLOCK_MODULE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11,
]);

export function hasWasmExceptions(): boolean {
  return WebAssembly.validate(TRY_BLOCK_MODULE);
}

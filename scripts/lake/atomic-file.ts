import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';

/** A path beside the target, so the final rename stays on one file system and is atomic. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
}

/** Readers see the old file or the new one, never a half-written one. */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  writeFileSync(tmp, data);
  renameSync(tmp, target);
}

export function copyFileAtomic(source: string, target: string): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  copyFileSync(source, tmp);
  renameSync(tmp, target);
}

export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256OfFile(file: string): string {
  return sha256Of(readFileSync(file));
}

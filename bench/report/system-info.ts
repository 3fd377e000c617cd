/** The machine and versions a benchmark ran on, for the report header. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function machine(): { cpus: number; cpuModel: string; memoryGiB: number; os: string } {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
  };
}

function packageVersion(name: string): string {
  try {
    // Several of these packages do not export their package.json, so read it from node_modules.
    const file = path.join(process.cwd(), 'node_modules', name, 'package.json');
    return String((JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version);
  } catch {
    return 'unknown';
  }
}

export function packageVersions(): Record<string, string> {
  const names = [
    '@duckdb/duckdb-wasm',
    '@duckdb/node-api',
    'parquet-wasm',
    'apache-arrow',
    '@playwright/test',
    'vite',
  ];
  return { node: process.version, ...Object.fromEntries(names.map((n) => [n, packageVersion(n)])) };
}

/** What every part of `npm run bench` shares: its log, quiet builds, and the results file it updates. */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { renderMarkdown } from './report/markdown.ts';
import type { BenchResults } from './report/results.ts';

/** The bare DuckDB-WASM page, built once per run. */
export const BARE_DIR = '/tmp/bench-dist-bare';

const started = performance.now();

export function log(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  console.log(`[bench ${s}s] ${message}`);
}

/** Runs a build quietly; its output is shown only when it fails. */
export function run(command: string, args: string[], env?: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => output.push(d));
    child.stderr.on('data', (d: Buffer) => output.push(d));
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      process.stderr.write(Buffer.concat(output));
      reject(new Error(`${command} ${args.join(' ')}: exit ${code}`));
    });
  });
}

export const bareBuild = () =>
  run('npx', [
    'vite',
    'build',
    '--config',
    'bench/bare/vite.config.ts',
    '--outDir',
    BARE_DIR,
    '--logLevel',
    'warn',
  ]);

/** The results of the last run, when there are any. */
export function previousResults(): BenchResults | undefined {
  try {
    return JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
  } catch {
    return undefined;
  }
}

/** The last run's results, which a run of one section updates; there must be one. */
export function lastResults(): BenchResults {
  const saved = previousResults();
  if (!saved) throw new Error('bench/results.json is missing: run npm run bench first');
  return saved;
}

/** Writes bench/results.json and the report made from it, bench/RESULTS.md. */
export function saveResults(results: BenchResults): void {
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync('bench/RESULTS.md', renderMarkdown(results));
}

/** Seconds since the benchmark started. */
export function benchSeconds(): number {
  return Math.round((performance.now() - started) / 1000);
}

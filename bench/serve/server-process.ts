/**
 * The Lakebook server as its users start it (`server/cli.ts`, `--demo`), in a child process of its own so
 * its memory is its own: node itself is spawned (not npm), so the child's pid is the server's and
 * `/proc/<pid>/status` is the server's memory. Its resident size is sampled every 100 ms for as long as it
 * runs; the kernel's own high-water mark (VmHWM) is read before it is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ServerOptions {
  lakeDir: string;
  stateDir: string;
  threads: number;
  maxRows: number;
  perUser: number;
  concurrent: number;
  memoryLimit: string;
}

export interface DemoToken {
  user: string;
  role: string;
  token: string;
}

/** Resident memory in bytes, from /proc; undefined when the process is gone or this is not Linux. */
export function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') * 1024, hwm: kib('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export class ServerProcess {
  /** Every 100 ms sample of VmRSS, with its time (ms since start), for peaks per phase. */
  readonly samples: { at: number; rss: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly started = performance.now();

  private constructor(
    private readonly child: ChildProcess,
    readonly base: string,
    readonly tokens: DemoToken[],
    /** The server's own start-up line: role instances ready and how long they took. */
    readonly banner: string,
    readonly startMs: number,
  ) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
    this.sample();
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    const args = ['--import', 'tsx', 'server/cli.ts', '--lake', options.lakeDir, '--demo', '--no-site'];
    args.push('--port', String(port), '--state', options.stateDir);
    args.push('--threads', String(options.threads), '--max-rows', String(options.maxRows));
    args.push('--per-user', String(options.perUser), '--concurrent', String(options.concurrent));
    args.push('--memory-limit', options.memoryLimit);
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (output += d));
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(deadline);
        child.kill('SIGKILL');
        reject(new Error(`the server did not start (${why}): ${output.slice(-2000)}`));
      };
      // Preparing the role folders hard-links the lake's files; a minute is plenty even at 60M rows.
      const deadline = setTimeout(() => fail('no start-up line within 120 s'), 120_000);
      child.once('exit', (code) => fail(`exit ${code}`));
      child.stdout!.on('data', (d: string) => {
        output += d;
        const banner = /^Lakebook server on (http:\/\/\S+).*$/m.exec(output);
        // The tokens are printed right after the banner, in the same write; the hint line ends them.
        if (!banner || !/^Open /m.test(output)) return;
        clearTimeout(deadline);
        child.removeAllListeners('exit');
        const tokens = [...output.matchAll(/^token (\S+) (\S+) (\S+)$/gm)].map((m) => ({
          user: m[1]!,
          role: m[2]!,
          token: m[3]!,
        }));
        resolve(new ServerProcess(child, banner[1]!, tokens, banner[0], performance.now() - t0));
      });
    });
  }

  tokenOf(role: string): string {
    const found = this.tokens.find((t) => t.role === role);
    if (!found) throw new Error(`the server printed no demo token for ${role}`);
    return found.token;
  }

  /** Milliseconds since the server was spawned, on the same clock as the samples. */
  now(): number {
    return performance.now() - this.started;
  }

  /** The highest sampled VmRSS between two times (ms since start). */
  peakBetween(from: number, to: number): number | undefined {
    const within = this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss);
    return within.length > 0 ? Math.max(...within) : undefined;
  }

  private sample(): void {
    const m = procMemory(this.child.pid!);
    if (m && Number.isFinite(m.rss)) this.samples.push({ at: this.now(), rss: m.rss });
  }

  /** Reads VmHWM, then stops the server (SIGTERM, SIGKILL after 10 s). */
  async stop(): Promise<{ hwm?: number; peakSampled?: number }> {
    this.sample();
    clearInterval(this.timer);
    const hwm = procMemory(this.child.pid!)?.hwm;
    const peakSampled = this.samples.length > 0 ? Math.max(...this.samples.map((s) => s.rss)) : undefined;
    if (this.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
        this.child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        this.child.kill('SIGTERM');
      });
    }
    return { hwm: Number.isFinite(hwm) ? hwm : undefined, peakSampled };
  }
}

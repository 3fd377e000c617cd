/**
 * Simulated users against the server for a fixed time: each user runs the given queries in a loop, one
 * after the other (a person at a notebook waits for an answer before running the next cell), starting at
 * a different query so that the mix is spread from the first second. The time is a hard bound: no query
 * starts after it, and one still running at the end is cut off (aborted) and counted as cut, not as done
 * and not as an error. Latency is request start to the last byte of the answer.
 */
import type { BenchQuery } from '../lake/queries.ts';
import { postQuery } from './api-client.ts';

export interface LoadOptions {
  base: string;
  /** One token per simulated user (the same token may repeat: the server then needs --per-user that high). */
  tokens: string[];
  queries: BenchQuery[];
  seconds: number;
}

export interface LoadOutcome {
  users: number;
  seconds: number;
  /** Wall time from the first request to the last answer or cut. */
  elapsedMs: number;
  done: number;
  errors: number;
  /** Distinct error messages with their counts (at most a few kept). */
  errorMessages: Record<string, number>;
  /** Queries still running at the end, aborted. */
  cut: number;
  latencyMs: number[];
  /** Per query id: answers done and their latencies. */
  perQuery: Record<string, number[]>;
}

export async function runLoad(options: LoadOptions): Promise<LoadOutcome> {
  const stop = new AbortController();
  const outcome: LoadOutcome = {
    users: options.tokens.length,
    seconds: options.seconds,
    elapsedMs: 0,
    done: 0,
    errors: 0,
    errorMessages: {},
    cut: 0,
    latencyMs: [],
    perQuery: {},
  };
  const t0 = performance.now();
  const timer = setTimeout(() => stop.abort(), options.seconds * 1000);
  const user = async (token: string, index: number) => {
    for (let i = index; !stop.signal.aborted; i++) {
      const q = options.queries[i % options.queries.length]!;
      try {
        const answer = await postQuery({ base: options.base, token, sql: q.sql, signal: stop.signal });
        if (answer.ok) {
          outcome.done++;
          outcome.latencyMs.push(answer.ms);
          (outcome.perQuery[q.id] ??= []).push(answer.ms);
        } else {
          outcome.errors++;
          const key = `${q.id}: ${answer.error ?? answer.status}`.slice(0, 200);
          outcome.errorMessages[key] = (outcome.errorMessages[key] ?? 0) + 1;
        }
      } catch (e) {
        if (stop.signal.aborted) {
          outcome.cut++;
        } else {
          outcome.errors++;
          const key = `${q.id}: ${(e as Error).message}`.slice(0, 200);
          outcome.errorMessages[key] = (outcome.errorMessages[key] ?? 0) + 1;
        }
      }
    }
  };
  try {
    await Promise.all(options.tokens.map((token, i) => user(token, i)));
  } finally {
    clearTimeout(timer);
  }
  outcome.elapsedMs = performance.now() - t0;
  return outcome;
}

/** The q-quantile (0..1) by nearest rank. */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

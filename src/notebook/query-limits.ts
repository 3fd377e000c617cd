/**
 * The limits every query runs under: a time limit that cancels a runaway statement, and a budget for the
 * result (rows and size) past which it is cut, so one careless query cannot freeze or kill the tab. They are
 * a setting of this browser, kept in local storage and validated when read back.
 */
import { z } from 'zod';
import type { QueryOptions } from '../contract/connector';

export interface QueryLimits {
  /** 0 means no time limit. */
  timeLimitSeconds: number;
  maxRows: number;
  maxResultMb: number;
}

export const DEFAULT_LIMITS: QueryLimits = { timeLimitSeconds: 300, maxRows: 2_000_000, maxResultMb: 256 };

export const LIMIT_BOUNDS = {
  timeLimitSeconds: { min: 0, max: 86_400 },
  maxRows: { min: 1, max: 100_000_000 },
  // The engine's memory is a few GB at most; a result must fit beside the data.
  maxResultMb: { min: 1, max: 2048 },
} as const;

const bounded = (key: keyof QueryLimits) =>
  z.number().int().min(LIMIT_BOUNDS[key].min).max(LIMIT_BOUNDS[key].max);

const limitsSchema = z
  .object({
    timeLimitSeconds: bounded('timeLimitSeconds'),
    maxRows: bounded('maxRows'),
    maxResultMb: bounded('maxResultMb'),
  })
  .strict();

const MB = 1024 * 1024;
export const LIMITS_KEY = 'lakebook.queryLimits';

export function queryOptions(limits: QueryLimits): QueryOptions {
  return {
    timeoutMs: limits.timeLimitSeconds > 0 ? limits.timeLimitSeconds * 1000 : undefined,
    maxRows: limits.maxRows,
    maxBytes: limits.maxResultMb * MB,
  };
}

export type LimitsCheck = { ok: true; limits: QueryLimits } | { ok: false; message: string };

const LABELS: Record<keyof QueryLimits, string> = {
  timeLimitSeconds: 'The time limit',
  maxRows: 'The row limit',
  maxResultMb: 'The result size limit',
};

/** Checks what a person typed in the settings form. */
export function checkLimits(input: Record<keyof QueryLimits, string>): LimitsCheck {
  const limits = {} as QueryLimits;
  for (const key of Object.keys(LABELS) as (keyof QueryLimits)[]) {
    const text = input[key].trim().replace(/[,_\s]/g, '');
    const value = Number(text);
    const { min, max } = LIMIT_BOUNDS[key];
    if (text === '' || !Number.isInteger(value) || value < min || value > max)
      return {
        ok: false,
        message: `${LABELS[key]} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`,
      };
    limits[key] = value;
  }
  return { ok: true, limits };
}

/** What local storage holds, or the defaults when it holds nothing valid (or cannot be read). */
export function loadLimits(storage: Pick<Storage, 'getItem'> | undefined): QueryLimits {
  try {
    const text = storage?.getItem(LIMITS_KEY);
    if (!text) return DEFAULT_LIMITS;
    const parsed = limitsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_LIMITS;
  } catch {
    return DEFAULT_LIMITS;
  }
}

/** Returns false when the browser refused to keep the setting (it still applies in this tab). */
export function saveLimits(storage: Pick<Storage, 'setItem'> | undefined, limits: QueryLimits): boolean {
  try {
    storage?.setItem(LIMITS_KEY, JSON.stringify(limitsSchema.parse(limits)));
    return storage !== undefined;
  } catch {
    return false;
  }
}

/** The browser's local storage, or undefined where reading the property itself is refused. */
export function localSettingsStorage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** Why a running query was stopped, as the failure its cell shows: cancelled, role changed, time limit. */
import type { Session } from '../../gov/types';
import type { EngineError } from '../../contract/results';
import { EngineFailure } from '../errors';

export function cancelledError(): EngineFailure {
  return new EngineFailure({ code: 'CANCELLED', message: 'The query was cancelled.' });
}

export function roleChangedError(session: Session): EngineFailure {
  return new EngineFailure({
    code: 'CANCELLED',
    message: `The query was stopped: the role changed to ${session.role} before it finished.`,
    hint: `Run it again to see its result as ${session.role}.`,
  });
}

export function timeoutError(ms: number): EngineFailure {
  const seconds = ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
  return new EngineFailure({
    code: 'TIMEOUT',
    message: `The query ran longer than the time limit of ${seconds} and was stopped.`,
    hint: 'Filter or aggregate the data, or raise the time limit in the settings.',
  });
}

/** What a tab cannot hold, the Lakebook server can: a query out of memory here says so. */
export function beyondTheTab(error: EngineError): EngineError {
  if (error.code !== 'TOO_LARGE' || !/out of memory/i.test(error.message)) return error;
  return {
    ...error,
    hint: `${error.hint ?? 'Aggregate or filter the data.'} A browser tab holds a few GB at most; the Lakebook server runs the same notebook on native DuckDB over the whole lake (docs/server.md).`,
  };
}

/** Why a running query was stopped, as the failure its cell shows: cancelled, role changed, time limit. */
import type { Session } from '../gov/types';
import { EngineFailure } from './errors';

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

/** The latest message for the user (import refused, cell deleted, link copied, engine restarted). */
import { useNotebook } from './app-context';

export function Notice() {
  const notice = useNotebook((s) => s.notice);
  const dismiss = useNotebook((s) => s.dismissNotice);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" onClick={dismiss} aria-label="Dismiss message">
        ✕
      </button>
    </div>
  );
}

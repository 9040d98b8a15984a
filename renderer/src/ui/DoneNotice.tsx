import './done-notice.css';

/** What the operator's last action did ("Ben Ode is disabled"), said once, politely, until the next. */
export function DoneNotice({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="status" className="notice done-notice">
      {message}
    </p>
  );
}

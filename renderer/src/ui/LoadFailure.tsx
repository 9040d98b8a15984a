import './load-failure.css';

/**
 * A screen whose data could not be fetched (offline, refused): what went wrong, and a way to try
 * again once the connection is back. The caller words the message, so it can say what failed.
 */
export function LoadFailure({
  message,
  retryLabel,
  onRetry,
}: {
  message: string;
  retryLabel: string;
  onRetry(): void;
}) {
  return (
    <div role="alert" className="notice notice-error load-failure">
      <span>{message}</span>{' '}
      <button type="button" className="secondary small" onClick={onRetry}>
        {retryLabel}
      </button>
    </div>
  );
}

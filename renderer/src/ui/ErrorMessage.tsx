import type { ParleyErrorData } from '../../../protocol/errors';

/** A failure the operator must read: announced at once, with the server's own words. */
export function ErrorMessage({ error }: { error: ParleyErrorData | string | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="notice notice-error">
      {typeof error === 'string' ? error : error.message}
    </p>
  );
}

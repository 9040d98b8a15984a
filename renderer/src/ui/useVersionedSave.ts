import { useCallback, useState } from 'react';
import { toParleyErrorData } from '../../../protocol/errors';

/**
 * Saves a record that carries a version, as the server's optimistic locking expects. The server
 * answers `conflict` both when someone else saved first and for other clashes (a taken name, the
 * last admin), so on `conflict` this asks for the latest copy: a newer version means the edit was
 * made against stale values (`newer` holds them, for the form to offer); otherwise the server's
 * message is the error. Nothing the operator typed is touched either way.
 */
export function useVersionedSave<T extends { version: number }>(
  baseVersion: number,
  fetchLatest: () => Promise<T | undefined>,
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [newer, setNewer] = useState<T | undefined>(undefined);

  const save = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError(undefined);
      setNewer(undefined);
      try {
        await action();
        return true;
      } catch (failure) {
        const data = toParleyErrorData(failure);
        const latest = data.code === 'conflict' ? await fetchLatest().catch(() => undefined) : undefined;
        if (latest && latest.version !== baseVersion) setNewer(latest);
        else setError(data.message);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [baseVersion, fetchLatest],
  );

  return { busy, error, newer, save, forgetNewer: () => setNewer(undefined) };
}

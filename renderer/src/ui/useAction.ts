import { useCallback, useState } from 'react';
import { toParleyErrorData } from '../../../protocol/errors';

/** Runs one user action (a dialog's submit) and keeps what the form shows meanwhile: busy, then the error. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(toParleyErrorData(failure).message);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

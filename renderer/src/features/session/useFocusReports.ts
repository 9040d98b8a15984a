import { useEffect } from 'react';
import { useChatStore } from '../chat/store';

const inFront = () => document.visibilityState === 'visible' && document.hasFocus();

/**
 * Keeps main told which chat the operator is looking at: the selected one while the window has
 * focus, none while it is blurred or hidden. Main rings for everything else and marks it read.
 */
export function useFocusReports() {
  const activeId = useChatStore((state) => state.activeId);
  const reportFocus = useChatStore((state) => state.reportFocus);

  useEffect(() => {
    reportFocus(inFront());
  }, [activeId, reportFocus]);

  useEffect(() => {
    const onFocus = () => reportFocus(true);
    const onBlur = () => reportFocus(false);
    const onVisibility = () => reportFocus(inFront());
    window.addEventListener('focus', onFocus);
    window.addEventListener('blur', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [reportFocus]);
}

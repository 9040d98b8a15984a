import { useCallback, useEffect, useRef } from 'react';
import { useChatStore } from './store';

// The visitor's widget lets "typing" lapse without news, so while typing goes on it is re-sent,
// but no more often than this; and a pause this long counts as having stopped.
const resendAfterMs = 2500;
const idleAfterMs = 3000;

/** Tells the visitor when the operator types in this chat, throttled, and when they stop. */
export function useTypingReport(chatId: string) {
  const report = useChatStore((state) => state.reportTyping);
  const state = useRef({
    typing: false,
    lastSent: 0,
    idle: undefined as ReturnType<typeof setTimeout> | undefined,
  });

  const stopped = useCallback(() => {
    clearTimeout(state.current.idle);
    if (!state.current.typing) return;
    state.current.typing = false;
    report(chatId, false);
  }, [chatId, report]);

  const typed = useCallback(() => {
    const now = Date.now();
    if (!state.current.typing || now - state.current.lastSent >= resendAfterMs) {
      state.current.typing = true;
      state.current.lastSent = now;
      report(chatId, true);
    }
    clearTimeout(state.current.idle);
    state.current.idle = setTimeout(stopped, idleAfterMs);
  }, [chatId, report, stopped]);

  // Leaving the chat (or the app) ends "typing" there.
  useEffect(() => stopped, [stopped]);

  return { typed, stopped };
}

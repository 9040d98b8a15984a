import { useEffect, useMemo } from 'react';
import type { AuthState } from '../../../../protocol/ipc';
import { AdminArea } from '../admin/AdminArea';
import { visibleSections } from '../admin/sections';
import { NotificationPrompt } from '../attention/NotificationPrompt';
import { useAttention } from '../attention/useAttention';
import { useCannedStore } from '../canned/store';
import { ChatTabs } from '../chat/ChatTabs';
import { ChatView } from '../chat/ChatView';
import { composerId } from '../chat/Composer';
import { useChatStore } from '../chat/store';
import { focusQueue } from '../queue/focus';
import { QueuePanel } from '../queue/QueuePanel';
import { useQueueStore } from '../queue/store';
import { useTeamStore } from '../team/store';
import { VisitorPanel } from '../visitor/VisitorPanel';
import { useShortcuts, type ShortcutAction } from './shortcuts';
import { useSessionStore } from './store';
import { useFocusReports } from './useFocusReports';
import { WorkspaceDialogs } from './WorkspaceDialogs';

/** Fetches what the workspace shows and keeps it current from the core's events. */
function useWorkspaceData() {
  useEffect(() => {
    void useCannedStore.getState().load();
    const stops = [
      useChatStore.getState().init(),
      useQueueStore.getState().init(),
      useTeamStore.getState().init(),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);
}

function useWorkspaceShortcuts() {
  const actions = useMemo<Record<ShortcutAction, () => void>>(() => {
    return {
      acceptNext: () => void useQueueStore.getState().acceptNext(),
      nextChat: () => useChatStore.getState().step(1),
      previousChat: () => useChatStore.getState().step(-1),
      endChat: () => {
        const { chats, activeId } = useChatStore.getState();
        if (chats.find((chat) => chat.id === activeId)?.status === 'open') {
          useSessionStore.getState().openDialog('endChat');
        }
      },
      focusComposer: () => document.getElementById(composerId)?.focus(),
      focusQueue,
      help: () => useSessionStore.getState().openDialog('shortcuts'),
    };
  }, []);
  useShortcuts(actions);
}

/** The signed-in workspace: queue and my chats on the left, the conversation, the visitor on the right. */
export function SessionShell({ state }: { state: Extract<AuthState, { status: 'signed_in' }> }) {
  const activeId = useChatStore((store) => store.activeId);
  useWorkspaceData();
  useWorkspaceShortcuts();
  useFocusReports();
  useAttention();

  const view = useSessionStore((store) => store.view);

  // The desk's data and attention stay live in administration, so no chat is missed meanwhile.
  return (
    <div className="shell">
      <NotificationPrompt />
      {view === 'admin' && visibleSections(state.permissions).length > 0 ? (
        <AdminArea />
      ) : (
        <main className="workspace">
          <div className="sidebar">
            <QueuePanel />
            <ChatTabs />
          </div>
          <ChatView />
          <VisitorPanel chatId={activeId} />
        </main>
      )}
      <WorkspaceDialogs state={state} />
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../../../protocol/ipc';
import { CannedManager } from '../canned/CannedManager';
import { EndChatDialog } from '../chat/EndChatDialog';
import { useChatStore } from '../chat/store';
import { TicketDialog } from '../chat/TicketDialog';
import { TransferDialog } from '../chat/TransferDialog';
import { useAuthStore } from '../login/store';
import { SettingsDialog } from '../settings/SettingsDialog';
import { ShortcutsDialog } from './ShortcutsDialog';
import { useSessionStore } from './store';

/** The one open dialog, if any; dialogs about a chat act on the selected one. */
export function WorkspaceDialogs({ state }: { state: Extract<AuthState, { status: 'signed_in' }> }) {
  const { t } = useTranslation();
  const { dialog, closeDialog } = useSessionStore();
  const run = useAuthStore((store) => store.run);
  const chat = useChatStore((store) => store.chats.find((candidate) => candidate.id === store.activeId));

  function forgetDevice() {
    if (window.confirm(t('session.forgetConfirm'))) {
      closeDialog();
      void run(() => window.parley.auth.signOut({ forgetDevice: true }));
    }
  }

  switch (dialog) {
    case undefined:
      return null;
    case 'shortcuts':
      return <ShortcutsDialog onClose={closeDialog} />;
    case 'settings':
      return <SettingsDialog onForgetDevice={forgetDevice} onClose={closeDialog} />;
    case 'canned':
      return (
        <CannedManager
          canManageShared={state.permissions.includes('canned.manageShared')}
          onClose={closeDialog}
        />
      );
    case 'transfer':
      return chat ? <TransferDialog chat={chat} myId={state.operator.id} onClose={closeDialog} /> : null;
    case 'endChat':
      return chat ? <EndChatDialog chat={chat} onClose={closeDialog} /> : null;
    case 'ticket':
      return chat ? <TicketDialog chat={chat} onClose={closeDialog} /> : null;
  }
}

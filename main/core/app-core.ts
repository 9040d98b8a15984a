import {
  adminPassthroughMethods,
  type AdminPassthroughMethod,
  type IpcArgs,
  type IpcEvent,
  type IpcEventPayload,
} from '../../protocol/ipc';
import { loadDesktopPolicy, policyFilePath, type LoadedPolicy } from './connect/policy-file';
import type { Lookup } from './connect/server-target';
import type { IpcHandlers } from './ipc-router';
import type { Platform } from './ports';
import { createDesktopSession, type DesktopSession } from './session/desktop-session';
import { createSettings } from './settings';
import { createLocalWorkspace } from './workspace';

/** Each admin method is one request on the live socket; the server decides and refuses. */
function adminPassthrough(session: DesktopSession): Pick<IpcHandlers, AdminPassthroughMethod> {
  const entries = adminPassthroughMethods.map((name) => [
    name,
    (args: IpcArgs<typeof name>) => session.desk().call(name, args),
  ]);
  return Object.fromEntries(entries) as Pick<IpcHandlers, AdminPassthroughMethod>;
}

export type EmitEvent = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;

export interface AppCoreOptions {
  /** The admin policy file, read once at start; tests pass their own. */
  policy?: LoadedPolicy;
  lookup?: Lookup;
  heartbeatMs?: number;
  /** How often auto-lock and auto-away look at the system idle time; tests shorten it. */
  idleCheckMs?: number;
}

/**
 * The Electron-free application core: the handlers behind every IPC method. Both hosts build it
 * and forward its events to their windows.
 */
export function createAppCore(platform: Platform, emit: EmitEvent, options: AppCoreOptions = {}) {
  const settings = createSettings(platform.store, platform.log);
  const policy = options.policy ?? loadDesktopPolicy(policyFilePath(process.platform, process.env));
  if (policy.status === 'invalid')
    platform.log.error('the connection policy file is invalid', { error: policy.error });
  const workspace = createLocalWorkspace(platform);
  const session = createDesktopSession({
    platform,
    emit,
    policy: () => policy,
    settings: settings.read,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.idleCheckMs ? { idleCheckMs: options.idleCheckMs } : {}),
  });

  const handlers: IpcHandlers = {
    ...adminPassthrough(session),
    'app.info': () => ({
      name: 'Parley',
      version: platform.appVersion,
      host: platform.host,
      platform: platform.os,
    }),
    'app.activity': () => {
      platform.system.noteInput();
      return {};
    },
    'settings.get': () => settings.read(),
    'settings.update': (patch) => {
      const next = settings.update(patch);
      emit('settings.changed', next);
      return next;
    },
    'profiles.list': () => ({
      profiles: session.profiles.list(),
      allowLocalWorkspace: policy.status === 'invalid' ? false : (policy.policy.allowLocalWorkspace ?? true),
      ...(policy.status === 'invalid' ? { policyError: policy.error } : {}),
    }),
    'profiles.remove': ({ id }) => {
      session.profiles.remove(id);
      return {};
    },
    'auth.state': () => session.state(),
    'auth.signIn': (args) => session.signIn(args),
    'auth.setup': (args) => session.setup(args),
    'auth.submitCode': ({ code }) => session.submitCode(code),
    'auth.confirmEnrolment': ({ code }) => session.confirmEnrolment(code),
    'auth.acknowledgeRecoveryCodes': () => session.acknowledgeRecoveryCodes(),
    'auth.lock': () => session.lock('manual'),
    'auth.unlock': ({ password, code }) => session.unlock(password, code),
    'auth.signOut': ({ forgetDevice }) => session.signOut(forgetDevice),
    'connection.status': () => session.connectionStatus(),
    'chats.list': () => session.chatsView(),
    'chats.send': ({ chatId, text }) => session.sendMessage(chatId, text),
    'queue.list': () => session.queue(),
    'chats.accept': ({ chatId }) => session.desk().accept(chatId),
    'chats.acceptNext': () => session.desk().acceptNext(),
    'chats.decline': ({ chatId }) => session.desk().decline(chatId),
    'chats.transfer': (args) => session.desk().call('chat.transfer', args),
    'chats.end': ({ chatId }) => session.desk().call('chat.end', { chatId }),
    'chats.dismiss': ({ chatId }) => session.desk().dismiss(chatId),
    'chats.toTicket': async (args) => ({
      ticketNumber: (await session.desk().call('chat.toTicket', args)).ticket.number,
    }),
    'chats.typing': (args) => session.desk().typing(args),
    'chats.focus': ({ chatId }) => session.desk().focus(chatId),
    'chats.visitor': ({ chatId }) => session.desk().call('chat.visitor', { chatId }),
    'chats.reveal': (args) => session.desk().call('visitor.reveal', args),
    'team.get': () => session.desk().call('team.get', {}),
    'status.get': () => session.status(),
    'status.set': (args) => session.desk().presence.set(args),
    'canned.list': () => session.desk().call('canned.list', {}),
    'canned.save': (args) => session.desk().call('canned.save', args),
    'canned.remove': ({ id }) => session.desk().call('canned.remove', { id }),
    'workspace.status': () => workspace.status(),
    'workspace.start': ({ admin }) => workspace.start(admin),
  };

  return {
    handlers,
    session,
    async close() {
      await session.close();
      await workspace.close();
    },
  };
}

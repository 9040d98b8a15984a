import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import type { SessionGrant } from '../../../protocol/auth';
import type { ServerProfile } from '../../../protocol/desktop-policy';
import { ParleyError, toParleyErrorData, type ParleyErrorData } from '../../../protocol/errors';
import {
  defaultSettings,
  type AuthState,
  type ConnectionStatus,
  type IpcArgs,
  type MyStatus,
  type PendingMessage,
  type Settings,
} from '../../../protocol/ipc';
import type { ChatSummary } from '../../../protocol/operator-socket';
import type { EmitEvent } from '../app-core';
import { forgetDataKey, openDataKey } from '../cache/data-key';
import { openEncryptedStore, type EncryptedStore } from '../cache/encrypted-store';
import { checkProfileAllowed, createProfileStore } from '../connect/profiles';
import { effectivePolicy, type LoadedPolicy } from '../connect/policy-file';
import { resolveServerTarget, type Lookup, type ServerTarget } from '../connect/server-target';
import type { Platform } from '../ports';
import { localWorkspaceProfileId } from '../workspace';
import { createConnection, type Connection } from '../realtime/connection';
import { createOutbox, memoryStorage, newActionId, type Outbox } from '../realtime/outbox';
import { createChatCache, type ChatCache } from './chat-cache';
import { createDesk, type Desk } from './desk';
import * as serverApi from './server-api';

/** A password step that succeeded and waits for a code or for enrolment. */
interface Challenge {
  target: ServerTarget;
  profile: ServerProfile;
  remember: boolean;
  username: string;
  ticket: string;
  kind: 'second_factor' | 'enrol_totp';
}

/** A complete sign-in: the server session, the open cache and the live connection. */
interface Active {
  target: ServerTarget;
  profile: ServerProfile;
  username: string;
  grant: SessionGrant;
  store: EncryptedStore | undefined;
  chats: ChatCache | undefined;
  connection: Connection;
  outbox: Outbox;
  desk: Desk;
  lastSeq: number;
  needsSnapshot: boolean;
}

export interface DesktopSessionOptions {
  platform: Platform;
  policy: () => LoadedPolicy;
  emit: EmitEvent;
  lookup?: Lookup;
  heartbeatMs?: number;
  /** Auto-lock, auto-away and attention read these at the moment they act. */
  settings?: () => Settings;
  idleCheckMs?: number;
}

/**
 * The operator's sign-in on this desktop, from password to a live, cached, resumable connection.
 * Every step reports an AuthState; failures become states with a typed error, never exceptions
 * for the renderer to decode.
 */
export function createDesktopSession(options: DesktopSessionOptions) {
  const { platform, emit } = options;
  const settings = options.settings ?? (() => defaultSettings);
  const log = platform.log;
  const profiles = createProfileStore(platform.store);
  let state: AuthState = { status: 'signed_out' };
  let challenge: Challenge | undefined;
  let active: Active | undefined;
  let lockedAt: { target: ServerTarget; profile: ServerProfile; username: string } | undefined;
  let pendingCodes: { codes: string[]; finish: () => Promise<AuthState> } | undefined;

  function setState(next: AuthState): AuthState {
    state = next;
    emit('auth.changed', next);
    return next;
  }

  function device(): serverApi.Device {
    let deviceId = platform.store.get('deviceId');
    if (typeof deviceId !== 'string') {
      deviceId = randomUUID();
      platform.store.set('deviceId', deviceId);
    }
    return { deviceId: deviceId as string, deviceName: `${hostname()} (${platform.host})` };
  }

  async function target(profile: ServerProfile): Promise<ServerTarget> {
    const policy = effectivePolicy(options.policy());
    // The local workspace is this machine's own server; allowLocalWorkspace governs it, not the server lists.
    if (profile.id === localWorkspaceProfileId) return resolveServerTarget(profile, {}, options.lookup);
    checkProfileAllowed(profile, policy);
    return resolveServerTarget(profile, policy, options.lookup);
  }

  async function openCache(grant: SessionGrant): Promise<EncryptedStore | undefined> {
    if (!grant.deviceKey) return undefined;
    try {
      const key = await openDataKey(platform.store, platform.secrets, grant.deviceKey);
      const store = openEncryptedStore(join(platform.dataDir, 'cache'), key.dataKey, {
        onIssue(issue) {
          log.warn('a cache record was damaged and discarded', { ...issue });
          emit('notice', {
            kind: 'cache_rebuilt',
            message:
              'Part of the local cache was damaged; Parley discarded it and is reloading it from the server.',
          });
          if (active) {
            active.needsSnapshot = true;
            active.connection.resyncNow();
          }
        },
      });
      if (key.status === 'replaced') {
        await store.wipe();
        emit('notice', {
          kind: 'cache_rebuilt',
          message:
            'The local cache could not be opened with this device’s key and was rebuilt from the server.',
        });
      }
      return store;
    } catch (error) {
      const data = toParleyErrorData(error);
      log.warn('running without a local cache', { code: data.code });
      emit('notice', { kind: 'cache_unavailable', message: data.message });
      return undefined;
    }
  }

  async function snapshot(current: Active): Promise<number> {
    current.lastSeq = await current.desk.snapshot();
    current.needsSnapshot = false;
    return current.lastSeq;
  }

  function sessionEnded(error: ParleyErrorData) {
    void teardown();
    emit('notice', { kind: 'session_ended', message: error.message });
    setState({ status: 'signed_out', error });
  }

  async function start(
    targetFor: ServerTarget,
    profile: ServerProfile,
    username: string,
    grant: SessionGrant,
  ): Promise<AuthState> {
    const store = await openCache(grant);
    const chats = store ? createChatCache(store) : undefined;
    const sync = await chats?.syncPoint();
    const resumable = sync !== undefined && sync.sessionId === grant.sessionId;
    // eslint-disable-next-line prefer-const -- the handlers below close over `current` before it exists
    let current: Active;
    const connection = createConnection({
      target: targetFor,
      token: grant.token,
      log,
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
      handlers: {
        lastSeq: () => (current.needsSnapshot ? 0 : current.lastSeq),
        needsSnapshot: () => current.needsSnapshot,
        async applyEvent(event) {
          await current.desk.apply(event);
          current.lastSeq = event.seq;
        },
        resync: () => snapshot(current),
        onOnline() {
          void current.outbox.flush();
          current.desk.online();
        },
        onStatus(status: ConnectionStatus) {
          emit('connection.changed', status);
          current.desk.connectionChanged(status);
        },
        onSignal: (signal, payload) => current.desk.signal(signal, payload),
        onSessionEnded: sessionEnded,
        onRefused: (error) => {
          void teardown();
          setState({ status: 'signed_out', error });
        },
        onProtocolError: (message) => emit('notice', { kind: 'server_misbehaved', message }),
      },
    });
    const outbox = createOutbox({
      storage: store ?? memoryStorage(),
      canSend: () => connection.isReady(),
      send: (entry) => connection.request(entry.method, entry.params, entry.actionId),
      onDelivered: () => emit('chats.changed', {}),
      onRejected: (_entry, error) => {
        emit('notice', {
          kind: 'action_failed',
          message: `An action could not be completed: ${error.message}`,
        });
        emit('chats.changed', {});
      },
      log,
    });
    current = {
      target: targetFor,
      profile,
      username,
      grant,
      store,
      chats,
      connection,
      outbox,
      desk: createDesk({
        sessionId: grant.sessionId,
        operatorId: grant.operator.id,
        connection,
        chats,
        outbox,
        platform,
        settings,
        emit,
      }),
      lastSeq: resumable ? sync.lastSeq : 0,
      needsSnapshot: !resumable,
    };
    active = current;
    connection.start();
    return setState({
      status: 'signed_in',
      server: profile.name,
      serverOrigin: targetFor.url.origin,
      operator: grant.operator,
      permissions: grant.permissions,
    });
  }

  async function teardown() {
    const current = active;
    active = undefined;
    if (!current) return;
    current.connection.stop();
    current.desk.close();
    current.store?.lock();
  }

  async function afterPassword(
    response: Awaited<ReturnType<typeof serverApi.login>>,
    context: Omit<Challenge, 'ticket' | 'kind'>,
  ): Promise<AuthState> {
    if (response.step === 'done') return finish(context, response.session);
    challenge = { ...context, ticket: response.ticket, kind: response.step };
    if (response.step === 'second_factor') {
      return setState({ status: 'second_factor', server: context.profile.name, username: context.username });
    }
    return setState({
      status: 'enrol_totp',
      server: context.profile.name,
      username: context.username,
      secret: response.secret,
      otpauthUri: response.otpauthUri,
      qrCode: await QRCode.toDataURL(response.otpauthUri, {
        errorCorrectionLevel: 'M',
        margin: 1,
        width: 220,
      }),
    });
  }

  async function finish(
    context: Omit<Challenge, 'ticket' | 'kind'>,
    grant: SessionGrant,
  ): Promise<AuthState> {
    challenge = undefined;
    lockedAt = undefined;
    if (context.remember) profiles.save(context.profile);
    return start(context.target, context.profile, context.username, grant);
  }

  /** Runs one step; a ParleyError becomes `onError(error)`'s state instead of a rejection. */
  async function step(run: () => Promise<AuthState>, onError: (error: ParleyErrorData) => AuthState) {
    try {
      return await run();
    } catch (error) {
      const data = toParleyErrorData(error);
      if (data.code === 'internal') log.error('sign-in step failed', { error: String(error) });
      return setState(onError(data));
    }
  }

  function withError(error: ParleyErrorData): AuthState {
    // A wrong code keeps the operator on the code screen; an expired ticket sends them back.
    if (challenge && ['invalid_code', 'code_replayed'].includes(error.code) && 'username' in state) {
      return { ...state, error } as AuthState;
    }
    challenge = undefined;
    return { status: 'signed_out', error };
  }

  async function signInWithPassword(
    profile: ServerProfile,
    remember: boolean,
    username: string,
    password: string,
  ): Promise<AuthState> {
    const resolved = await target(profile);
    const response = await serverApi.login(resolved, username, password, device());
    return afterPassword(response, { target: resolved, profile, remember, username });
  }

  async function setUpWithCode(
    profile: ServerProfile,
    remember: boolean,
    args: { username: string; code: string; password: string },
  ): Promise<AuthState> {
    const resolved = await target(profile);
    const response = await serverApi.setup(resolved, args.username, args.code, args.password, device());
    return afterPassword(response, { target: resolved, profile, remember, username: args.username });
  }

  function idleWatch() {
    const timer = setInterval(() => {
      if (state.status !== 'signed_in') return;
      const { autoLockMinutes, autoAwayMinutes } = settings();
      const idle = platform.system.idleSeconds();
      // Locking ends the session, so when both are due the lock wins.
      if (autoLockMinutes > 0 && idle >= autoLockMinutes * 60) void lock('idle');
      else active?.desk.presence.idle(idle, autoAwayMinutes);
    }, options.idleCheckMs ?? 10_000);
    timer.unref();
    const stopScreenLock = platform.system.onLockScreen(() => {
      if (state.status === 'signed_in') void lock('screen_locked');
    });
    const stopResume = platform.system.onResume(() => active?.connection.nudge());
    const stopNetwork = platform.system.onNetworkChange(() => active?.connection.nudge());
    return () => {
      clearInterval(timer);
      stopScreenLock();
      stopResume();
      stopNetwork();
    };
  }

  /** Ends the server session and drops the cache key from memory; the password (and code) unlock. */
  async function lock(reason: 'idle' | 'screen_locked' | 'manual'): Promise<AuthState> {
    const current = active;
    if (!current) return state;
    lockedAt = { target: current.target, profile: current.profile, username: current.username };
    await teardown();
    await serverApi.logout(current.target, current.grant.token).catch(() => undefined);
    return setState({ status: 'locked', server: current.profile.name, username: current.username, reason });
  }

  const stopWatching = idleWatch();

  return {
    state: () => state,
    profiles,

    signIn(args: IpcArgs<'auth.signIn'>): Promise<AuthState> {
      setState({ status: 'signing_in', server: args.profile.name });
      const profile = { ...args.profile, id: args.profile.id ?? randomUUID() };
      return step(() => signInWithPassword(profile, args.remember, args.username, args.password), withError);
    },

    setup(args: IpcArgs<'auth.setup'>): Promise<AuthState> {
      setState({ status: 'signing_in', server: args.profile.name });
      const profile = { ...args.profile, id: args.profile.id ?? randomUUID() };
      return step(() => setUpWithCode(profile, args.remember, args), withError);
    },

    submitCode(code: string): Promise<AuthState> {
      return step(async () => {
        if (!challenge || challenge.kind !== 'second_factor')
          throw new ParleyError('invalid_request', 'Sign in first.');
        const response = await serverApi.submitSecondFactor(challenge.target, challenge.ticket, code);
        if (response.step !== 'done') throw new ParleyError('internal', 'Unexpected answer to the code.');
        return finish(challenge, response.session);
      }, withError);
    },

    confirmEnrolment(code: string): Promise<AuthState> {
      return step(async () => {
        if (!challenge || challenge.kind !== 'enrol_totp')
          throw new ParleyError('invalid_request', 'Sign in first.');
        const context = challenge;
        const response = await serverApi.confirmEnrolment(context.target, context.ticket, code);
        challenge = undefined;
        pendingCodes = { codes: response.recoveryCodes, finish: () => finish(context, response.session) };
        return setState({
          status: 'recovery_codes',
          server: context.profile.name,
          codes: response.recoveryCodes,
        });
      }, withError);
    },

    acknowledgeRecoveryCodes(): Promise<AuthState> {
      const next = pendingCodes;
      pendingCodes = undefined;
      if (!next) return Promise.resolve(state);
      return step(next.finish, withError);
    },

    lock,

    unlock(password: string, code: string | undefined): Promise<AuthState> {
      const at = lockedAt;
      if (!at || state.status !== 'locked') return Promise.resolve(state);
      const lockedState = state;
      return step(
        async () => {
          const response = await serverApi.login(at.target, at.username, password, device());
          const context = { target: at.target, profile: at.profile, remember: false, username: at.username };
          if (response.step === 'done') return finish(context, response.session);
          if (response.step === 'second_factor') {
            if (!code)
              throw new ParleyError('totp_required', 'Enter the code from your authenticator app as well.');
            const done = await serverApi.submitSecondFactor(at.target, response.ticket, code);
            if (done.step !== 'done') throw new ParleyError('internal', 'Unexpected answer to the code.');
            return finish(context, done.session);
          }
          return afterPassword(response, context);
        },
        (error) =>
          ['session_expired', 'address_not_allowed'].includes(error.code)
            ? { status: 'signed_out', error }
            : { ...lockedState, error },
      );
    },

    async signOut(forgetDevice: boolean): Promise<AuthState> {
      const current = active;
      await teardown();
      if (current) await serverApi.logout(current.target, current.grant.token).catch(() => undefined);
      challenge = undefined;
      lockedAt = undefined;
      if (forgetDevice) {
        await rm(join(platform.dataDir, 'cache'), { recursive: true, force: true });
        forgetDataKey(platform.store);
        platform.store.delete('deviceId');
        for (const profile of profiles.list()) profiles.remove(profile.id);
      }
      return setState({ status: 'signed_out' });
    },

    connectionStatus(): ConnectionStatus {
      return active?.connection.status() ?? { state: 'offline', since: new Date().toISOString() };
    },

    /** The operator's cached chats, as the desktop would show them offline. */
    chats: () => active?.chats?.list() ?? Promise.resolve([]),

    /** Queues a message: persisted first, delivered once, however often the connection drops. */
    async sendMessage(chatId: string, text: string): Promise<PendingMessage> {
      if (!active) throw new ParleyError('unauthenticated', 'Sign in first.');
      const actionId = newActionId();
      const entry = await active.outbox.enqueue(
        'chat.send',
        { chatId, clientMsgId: actionId, text },
        actionId,
      );
      emit('chats.changed', {});
      return { clientMsgId: actionId, chatId, text, createdAt: entry.createdAt };
    },

    /** The chats as cached, plus the operator's messages still waiting in the outbox. */
    async chatsView(): Promise<{ chats: ChatSummary[]; pending: PendingMessage[] }> {
      if (!active) return { chats: [], pending: [] };
      const pending = (await active.outbox.pending())
        .filter((entry) => entry.method === 'chat.send')
        .map((entry) => {
          const params = entry.params as { chatId: string; text: string };
          return {
            clientMsgId: entry.actionId,
            chatId: params.chatId,
            text: params.text,
            createdAt: entry.createdAt,
          };
        });
      return { chats: await (active.chats?.list() ?? Promise.resolve([])), pending };
    },

    pendingActions: () => active?.outbox.pending() ?? Promise.resolve([]),

    /** The signed-in operator's desk; actions on chats, queue and status go through it. */
    desk(): Desk {
      if (!active) throw new ParleyError('unauthenticated', 'Sign in first.');
      return active.desk;
    },

    /** Like chats(): empty while nobody is signed in. */
    queue: () => active?.desk.queue() ?? { chats: [], offers: [] },

    /** Offline to colleagues while nobody is signed in here. */
    status(): MyStatus {
      return active?.desk.presence.get() ?? { status: 'offline', acceptingChats: false, automatic: false };
    },

    async close() {
      stopWatching();
      await teardown();
    },
  };
}

export type DesktopSession = ReturnType<typeof createDesktopSession>;

import type { ChatOffer } from '../../protocol/ipc';
import { defaultMaskingRules } from '../../protocol/masking';
import type {
  AdminGroup,
  CannedResponse,
  ChatMessage,
  ChatSummary,
  QueuedChat,
  TeamMember,
} from '../../protocol/operator-socket';
import {
  defaultPrechatFields,
  defaultPrivacyNotice,
  defaultWidgetSettings,
} from '../../protocol/visitor-socket';

/** A fixed "now" for tests that read clocks: 23 Nov 2026, 09:00 UTC. */
export const now = Date.parse('2026-11-23T09:00:00.000Z');
export const secondsAgo = (seconds: number) => new Date(now - seconds * 1000).toISOString();

export function message(
  chatId: string,
  id: string,
  kind: ChatMessage['author']['kind'],
  text: string,
  name = kind === 'operator' ? 'Anna Berg' : kind === 'system' ? 'Parley' : 'Vera',
): ChatMessage {
  return {
    id,
    chatId,
    author: { kind, id: kind === 'operator' ? 'o1' : null, name },
    text,
    clientMsgId: null,
    createdAt: '2026-11-23T09:00:00.000Z',
  };
}

export function chat(
  id: string,
  visitorName: string,
  messages: ChatMessage[] = [],
  groupId = 'g1',
): ChatSummary {
  return { id, status: 'open', visitorName, groupId, messages };
}

export function queued(
  id: string,
  visitorName: string,
  waitedSeconds: number,
  extra: Partial<QueuedChat> = {},
) {
  return {
    id,
    groupId: 'g1',
    visitorName,
    priority: 0,
    queuedAt: secondsAgo(waitedSeconds),
    state: 'waiting',
    offeredTo: null,
    ...extra,
  } satisfies QueuedChat;
}

export function offer(
  chat: QueuedChat,
  expiresInSeconds: number,
  transferNote: string | null = null,
): ChatOffer {
  return {
    chat: { ...chat, state: 'offered', offeredTo: 'o1' },
    expiresAt: new Date(now + expiresInSeconds * 1000).toISOString(),
    transferNote,
  };
}

export const groups = [
  { id: 'g1', name: 'Sales' },
  { id: 'g2', name: 'Billing' },
];

export function colleague(id: string, displayName: string, status: TeamMember['status']): TeamMember {
  return { id, displayName, status, acceptingChats: status === 'online', groupIds: ['g1'] };
}

export function canned(
  id: string,
  shortcut: string,
  title: string,
  text: string,
  extra: Partial<CannedResponse> = {},
) {
  return { id, shortcut, title, text, shared: false, editable: true, ...extra } satisfies CannedResponse;
}

/** A group as administrators see it: the defaults of a new group, with what the test sets. */
export function adminGroup(id: string, name: string, extra: Partial<AdminGroup> = {}): AdminGroup {
  return {
    id,
    name,
    archived: false,
    routingMode: 'automatic',
    ringTimeoutSeconds: 30,
    defaultMaxChats: 3,
    businessHours: null,
    prechatFields: defaultPrechatFields,
    widget: defaultWidgetSettings,
    privacyNotice: defaultPrivacyNotice,
    masking: defaultMaskingRules,
    version: 1,
    ...extra,
  };
}

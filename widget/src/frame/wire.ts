import type {
  FieldMode,
  VisitorChat,
  VisitorEventPayload,
  VisitorMessage,
  WidgetConfig,
} from '../../../protocol/visitor-socket';

/*
 * Narrow checks of what the server sends, in place of the protocol's zod schemas: zod, even
 * zod/mini, would more than double the widget's size. Each reader checks every field the widget
 * uses and returns null for anything else, so a malformed frame is dropped, never half-used.
 */

export interface WireError {
  code: string;
  message: string;
}

export type ServerFrame =
  | { type: 'response'; id: string; ok: true; result: unknown }
  | { type: 'response'; id: string; ok: false; error: WireError }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'error'; error: WireError };

export type ChatState = Omit<VisitorChat, 'messages'>;

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const orNull =
  <T>(check: (value: unknown) => value is T) =>
  (value: unknown): value is T | null =>
    value === null || check(value);

export function readError(value: unknown): WireError | null {
  return isRecord(value) && isString(value['code']) && isString(value['message'])
    ? { code: value['code'], message: value['message'] }
    : null;
}

export function readServerFrame(text: string): ServerFrame | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(frame)) return null;
  if (frame['type'] === 'event') {
    return isString(frame['event'])
      ? { type: 'event', event: frame['event'], payload: frame['payload'] }
      : null;
  }
  const error = readError(frame['error']);
  if (frame['type'] === 'error') return error && { type: 'error', error };
  if (frame['type'] !== 'response' || !isString(frame['id'])) return null;
  if (frame['ok'] === true) return { type: 'response', id: frame['id'], ok: true, result: frame['result'] };
  return error && { type: 'response', id: frame['id'], ok: false, error };
}

export function readMessage(value: unknown): VisitorMessage | null {
  if (!isRecord(value)) return null;
  const { id, author, name, text, clientMsgId, createdAt } = value;
  const valid =
    isString(id) &&
    (author === 'visitor' || author === 'operator' || author === 'system') &&
    isString(name) &&
    isString(text) &&
    orNull(isString)(clientMsgId) &&
    isString(createdAt) &&
    !Number.isNaN(Date.parse(createdAt));
  return valid ? { id, author, name, text, clientMsgId, createdAt } : null;
}

export function readChatState(value: unknown): ChatState | null {
  if (!isRecord(value)) return null;
  const { id, status, position, estimatedWaitSeconds, operatorName, readUpTo, rating } = value;
  const valid =
    isString(id) &&
    (status === 'queued' || status === 'active' || status === 'ended') &&
    orNull(isCount)(position) &&
    orNull(isCount)(estimatedWaitSeconds) &&
    orNull(isString)(operatorName) &&
    orNull(isString)(readUpTo) &&
    orNull(isCount)(rating);
  return valid ? { id, status, position, estimatedWaitSeconds, operatorName, readUpTo, rating } : null;
}

export function readChat(value: unknown): VisitorChat | null {
  const state = readChatState(value);
  const list = isRecord(value) ? value['messages'] : undefined;
  if (!state || !Array.isArray(list)) return null;
  const messages = list.map(readMessage);
  return messages.every((message) => message !== null) ? { ...state, messages } : null;
}

/** The `chat` member of a result: a chat, null (no chat yet), or undefined when malformed. */
export function readChatMember(value: unknown): VisitorChat | null | undefined {
  if (!isRecord(value)) return undefined;
  if (value['chat'] === null) return null;
  return readChat(value['chat']) ?? undefined;
}

export function readTyping(value: unknown): VisitorEventPayload<'typing'> | null {
  return isRecord(value) && typeof value['typing'] === 'boolean' && isString(value['name'])
    ? { typing: value['typing'], name: value['name'] }
    : null;
}

export function readTicketNumber(value: unknown): number | null {
  return isRecord(value) && isCount(value['ticketNumber']) ? value['ticketNumber'] : null;
}

export function readVisitorToken(value: unknown): string | null {
  return isRecord(value) && isString(value['visitorToken']) ? value['visitorToken'] : null;
}

const isMode = (value: unknown): value is FieldMode =>
  value === 'required' || value === 'optional' || value === 'hidden';

function readFields(value: unknown): WidgetConfig['fields'] | null {
  if (!isRecord(value)) return null;
  const { name, email, phone, company, custom, visitorsMayEdit } = value;
  const valid =
    isMode(name) &&
    isMode(email) &&
    isMode(phone) &&
    isMode(company) &&
    isMode(custom) &&
    typeof visitorsMayEdit === 'boolean';
  return valid ? { name, email, phone, company, custom, visitorsMayEdit } : null;
}

function readNotice(value: unknown): WidgetConfig['privacyNotice'] | null {
  return isRecord(value) && isString(value['version']) && isString(value['text'])
    ? { version: value['version'], text: value['text'] }
    : null;
}

export function readConfig(value: unknown): WidgetConfig | null {
  if (!isRecord(value)) return null;
  const { groupId, groupName, language, online, privacyNotice, customLabel, greeting, color, cookieless } =
    value;
  const fields = readFields(value['fields']);
  const notice = readNotice(privacyNotice);
  const valid =
    isString(groupId) &&
    isString(groupName) &&
    (language === 'en' || language === 'de') &&
    typeof online === 'boolean' &&
    notice !== null &&
    fields !== null &&
    isString(customLabel) &&
    isString(greeting) &&
    isString(color) &&
    /^#[0-9a-f]{6}$/i.test(color) &&
    typeof cookieless === 'boolean';
  if (!valid) return null;
  return {
    groupId,
    groupName,
    language,
    online,
    privacyNotice: notice,
    fields,
    customLabel,
    greeting,
    color,
    cookieless,
  };
}

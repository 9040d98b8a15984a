import { z } from 'zod';
import { parleyErrorSchema } from './errors';

/*
 * The visitor side: the widget's configuration (plain HTTP GET, carries no personal data) and the
 * visitor socket. Nothing personal leaves the browser before `session.consent` has recorded the
 * visitor's consent to the group's privacy notice; the server refuses every other method until then.
 *
 * The socket is request/response with client-chosen ids, plus events pushed by the server. Events
 * carry no seq: a widget that reconnects calls `session.resume` and gets the chat's whole state
 * (every message), so nothing it missed is lost.
 */

export const visitorPaths = {
  /** GET ?group=<id>&lang=<en|de>: the widget's configuration. */
  config: '/widget/config',
  /** The embed script a site includes; it adds the iframe. */
  loader: '/widget/parley.js',
  /** The iframe page the widget runs in (the server's origin, so the site cannot read the chat). */
  frame: '/widget/frame',
  /** The frame's assets: /widget/assets/<file>. */
  assets: '/widget/assets/',
  socket: '/visitor/socket',
  /** A demo web page with the widget embedded. */
  demo: '/demo',
} as const;

export const visitorLanguageSchema = z.enum(['en', 'de']);
export type VisitorLanguage = z.infer<typeof visitorLanguageSchema>;

/** What the group asks for in the pre-chat (and offline) form. */
export const fieldModeSchema = z.enum(['required', 'optional', 'hidden']);
export type FieldMode = z.infer<typeof fieldModeSchema>;

export const prechatFieldNames = ['name', 'email', 'phone', 'company', 'custom'] as const;
export const prechatFieldNameSchema = z.enum(prechatFieldNames);
export type PrechatFieldName = z.infer<typeof prechatFieldNameSchema>;

export const prechatFieldsConfigSchema = z.strictObject({
  name: fieldModeSchema,
  email: fieldModeSchema,
  phone: fieldModeSchema,
  company: fieldModeSchema,
  custom: fieldModeSchema,
  /** The custom field's label per language, e.g. "Order number". */
  customLabel: z.record(visitorLanguageSchema, z.string().max(80)),
  /** Visitors may correct their details during a chat (migration 0007 allowed it for older groups). */
  visitorsMayEdit: z.boolean(),
});
export type PrechatFieldsConfig = z.infer<typeof prechatFieldsConfigSchema>;

export const defaultPrechatFields: PrechatFieldsConfig = {
  name: 'required',
  email: 'optional',
  phone: 'hidden',
  company: 'hidden',
  custom: 'hidden',
  customLabel: { en: 'Reference', de: 'Referenz' },
  visitorsMayEdit: true,
};

/** The privacy notice a visitor consents to; a new text gets a new version. */
export const privacyNoticeSchema = z.strictObject({
  version: z.string().min(1).max(40),
  text: z.record(visitorLanguageSchema, z.string().max(5000)),
});
export type PrivacyNotice = z.infer<typeof privacyNoticeSchema>;

export const defaultPrivacyNotice: PrivacyNotice = {
  version: '1',
  text: {
    en: 'To chat with us we process what you write and the details you enter, to answer your request. Chats are kept only as long as our retention policy allows and you can ask us to delete them at any time.',
    de: 'Für den Chat verarbeiten wir, was Sie schreiben und angeben, um Ihre Anfrage zu beantworten. Chats werden nur so lange aufbewahrt, wie unsere Aufbewahrungsregeln es erlauben, und Sie können jederzeit ihre Löschung verlangen.',
  },
};

export const widgetSettingsSchema = z.strictObject({
  /** Accent colour as #rrggbb. */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  greeting: z.record(visitorLanguageSchema, z.string().max(300)),
  /**
   * Keep the visitor's token in sessionStorage only (gone with the tab) instead of localStorage;
   * the widget never sets cookies either way.
   */
  cookieless: z.boolean(),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

export const defaultWidgetSettings: WidgetSettings = {
  color: '#2f6f5e',
  greeting: { en: 'Hello! How can we help?', de: 'Hallo! Wie können wir helfen?' },
  cookieless: false,
};

/** GET /widget/config: everything the widget shows before the visitor consents. */
export const widgetConfigSchema = z.strictObject({
  groupId: z.string(),
  groupName: z.string(),
  language: visitorLanguageSchema,
  /** Someone in the group is online and accepting chats; otherwise the widget offers the offline form. */
  online: z.boolean(),
  privacyNotice: z.strictObject({ version: z.string(), text: z.string() }),
  fields: prechatFieldsConfigSchema.omit({ customLabel: true }),
  customLabel: z.string(),
  greeting: z.string(),
  color: widgetSettingsSchema.shape.color,
  cookieless: z.boolean(),
});
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;

const optionalText = (max: number) => z.string().trim().max(max).optional();

/** What a visitor enters; which of these are required depends on the group. */
export const visitorFieldsSchema = z.strictObject({
  name: optionalText(80),
  email: z.union([z.literal(''), z.email().max(200)]).optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[0-9+()\-./ ]*$/, 'A phone number has digits, spaces and + ( ) - . / only.')
    .optional(),
  company: optionalText(120),
  custom: optionalText(200),
});
export type VisitorFields = z.infer<typeof visitorFieldsSchema>;

export const maxVisitorMessageLength = 2000;

export const visitorMessageSchema = z.strictObject({
  id: z.string(),
  author: z.enum(['visitor', 'operator', 'system']),
  /** The operator's display name, "Parley" for system notes, the visitor's name (or "You"). */
  name: z.string(),
  text: z.string(),
  clientMsgId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type VisitorMessage = z.infer<typeof visitorMessageSchema>;

/** The visitor's chat as the widget shows it. */
export const visitorChatSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['queued', 'active', 'ended']),
  /** While queued: 1 for the chat served next, and a rough wait. */
  position: z.number().int().positive().nullable(),
  estimatedWaitSeconds: z.number().int().nonnegative().nullable(),
  /** The operator answering, while active. */
  operatorName: z.string().nullable(),
  messages: z.array(visitorMessageSchema),
  /** The newest visitor message the operator has seen ("read" in the widget). */
  readUpTo: z.string().nullable(),
  /** 1–5 once the visitor has rated the chat. */
  rating: z.number().int().min(1).max(5).nullable(),
});
export type VisitorChat = z.infer<typeof visitorChatSchema>;

const none = z.strictObject({});
const visitorToken = z.string().min(20).max(200);
const clientMsgId = z.string().min(8).max(64);

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

export const visitorMethods = {
  /**
   * Records consent to the group's notice (time and version) and starts a visitor record. The
   * notice version must be the group's current one, so nobody consents to a text they did not see.
   */
  'session.consent': method(
    z.strictObject({
      groupId: z.string().min(1).max(100),
      noticeVersion: z.string().max(40),
      language: visitorLanguageSchema,
    }),
    z.strictObject({ visitorToken: z.string(), visitorId: z.string() }),
  ),
  /** A returning widget (reload, reconnect): the visitor's open or last chat, if any. */
  'session.resume': method(
    z.strictObject({ visitorToken }),
    z.strictObject({ visitorId: z.string(), groupId: z.string(), chat: visitorChatSchema.nullable() }),
  ),
  /** Joins the group's queue; refused with `conflict` and the offline form when nobody is online. */
  'chat.start': method(
    z.strictObject({ fields: visitorFieldsSchema, pageUrl: z.string().max(2000).optional() }),
    z.strictObject({ chat: visitorChatSchema }),
  ),
  /** Messages over maxVisitorMessageLength, and floods, are refused with `rate_limited`. */
  'chat.send': method(
    z.strictObject({ clientMsgId, text: z.string().trim().min(1).max(maxVisitorMessageLength) }),
    z.strictObject({ message: visitorMessageSchema }),
  ),
  'chat.typing': method(z.strictObject({ typing: z.boolean() }), none),
  /** The visitor corrects their details during a chat; refused where the group does not allow it. */
  'details.update': method(z.strictObject({ fields: visitorFieldsSchema }), none),
  /** Deletes the visitor's current chat and what was made from it, for good; the widget starts afresh. */
  'chat.delete': method(none, none),
  /** The visitor closes the chat: abandoned if nobody had accepted it yet. */
  'chat.leave': method(none, none),
  'chat.rate': method(
    z.strictObject({
      rating: z.number().int().min(1).max(5),
      comment: z.string().trim().max(1000).optional(),
    }),
    none,
  ),
  /** The offline form: becomes a ticket for the group. */
  'offline.submit': method(
    z.strictObject({ fields: visitorFieldsSchema, message: z.string().trim().min(1).max(5000) }),
    z.strictObject({ ticketNumber: z.number().int().positive() }),
  ),
} as const;

export type VisitorMethod = keyof typeof visitorMethods;
export type VisitorParams<M extends VisitorMethod> = z.output<(typeof visitorMethods)[M]['params']>;
export type VisitorParamsInput<M extends VisitorMethod> = z.input<(typeof visitorMethods)[M]['params']>;
export type VisitorResult<M extends VisitorMethod> = z.output<(typeof visitorMethods)[M]['result']>;

export function isVisitorMethod(name: string): name is VisitorMethod {
  return Object.hasOwn(visitorMethods, name);
}

export const visitorEvents = {
  /** A new message in the visitor's chat (including the visitor's own, from another tab). */
  message: z.strictObject({ message: visitorMessageSchema }),
  /** The chat's state changed: queue position, the operator who took it, ended. Messages are left out. */
  chat: z.strictObject({ chat: visitorChatSchema.omit({ messages: true }) }),
  typing: z.strictObject({ typing: z.boolean(), name: z.string() }),
} as const;

export type VisitorEvent = keyof typeof visitorEvents;
export type VisitorEventPayload<E extends VisitorEvent> = z.output<(typeof visitorEvents)[E]>;

export const maxVisitorFrameBytes = 16 * 1024;

export const visitorClientFrameSchema = z.strictObject({
  type: z.literal('request'),
  id: z.string().min(1).max(64),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type VisitorClientFrame = z.infer<typeof visitorClientFrameSchema>;

export const visitorServerFrameSchema = z.union([
  z.strictObject({ type: z.literal('response'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({
    type: z.literal('response'),
    id: z.string(),
    ok: z.literal(false),
    error: parleyErrorSchema,
  }),
  z.strictObject({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  /** A frame that cannot be answered by id (not JSON, too large): the socket stays open. */
  z.strictObject({ type: z.literal('error'), error: parleyErrorSchema }),
]);
export type VisitorServerFrame = z.infer<typeof visitorServerFrameSchema>;

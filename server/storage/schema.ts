import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';
import type {
  PrechatFieldsConfig,
  PrivacyNotice,
  VisitorFields,
  WidgetSettings,
} from '../../protocol/visitor-socket';
import type { BusinessHours } from '../../protocol/operator-socket';
import type { MaskingRules } from '../../protocol/masking';

/**
 * The database as Kysely sees it. The same migrations create it on PGlite and PostgreSQL.
 * Times are timestamptz, read back as Date. Ids are text (random UUIDs) unless they are log
 * sequences.
 */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;

export interface OperatorsTable {
  id: string;
  /** Lower-cased; unique. */
  username: string;
  display_name: string;
  role: 'agent' | 'lead' | 'admin';
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** Self-describing scrypt hash, see server/auth/passwords.ts. */
  password_hash: string;
  /** Base32 TOTP secret once enrolment is confirmed; null while 2FA is off. */
  totp_secret: string | null;
  /** Secret offered during enrolment, not yet confirmed with a code. */
  totp_pending_secret: string | null;
  /** Highest TOTP time step accepted so far: codes at or below it are replays. */
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  max_concurrent_chats: ColumnType<number, number | undefined, number>;
  /** Presence shown to colleagues; only 'online' operators who accept chats are offered any. */
  status: ColumnType<OperatorStatus, OperatorStatus | undefined, OperatorStatus>;
  /** Off while finishing current chats: the operator stays online but is offered nothing new. */
  accepting_chats: ColumnType<boolean, boolean | undefined, boolean>;
  status_changed_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
}

export type OperatorStatus = 'online' | 'away' | 'busy' | 'offline';

export interface GroupsTable {
  id: string;
  name: string;
  archived: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  /** manual: operators pick from the queue; automatic: chats are offered to the least-loaded one. */
  routing_mode: ColumnType<
    'manual' | 'automatic',
    'manual' | 'automatic' | undefined,
    'manual' | 'automatic'
  >;
  /** How long an offer rings before it counts as missed and moves on. */
  ring_timeout_seconds: ColumnType<number, number | undefined, number>;
  /** Chat limit proposed for operators joining the group (the admin UI applies it). */
  default_max_chats: ColumnType<number, number | undefined, number>;
  privacy_notice: JsonWithDefault<PrivacyNotice>;
  prechat_fields: JsonWithDefault<PrechatFieldsConfig>;
  widget_settings: JsonWithDefault<WidgetSettings>;
  /** Null: always open. */
  business_hours: ColumnType<BusinessHours | null, string | null | undefined, string | null>;
  version: ColumnType<number, number | undefined, number>;
  masking: JsonWithDefault<MaskingRules>;
}

export interface OperatorGroupsTable {
  operator_id: string;
  group_id: string;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  operator_id: string;
  /** SHA-256 of the normalised code; codes are random enough that a slow hash buys nothing. */
  code_hash: string;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  operator_id: string;
  /** SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string;
  device_id: string | null;
  device_name: string | null;
  /** Source address as the anonymisation policy allows it to be kept. */
  address: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  /** The seq of the last event stored for this session; advanced under the row lock, so gapless. */
  last_event_seq: ColumnType<string, number | string | undefined, number | string>;
}

/** Events for one session, kept for a day so a client that reconnects can catch up. */
export interface OperatorEventsTable {
  session_id: string;
  seq: ColumnType<string, number | string, never>;
  event: string;
  payload: Json<unknown>;
  created_at: CreatedAt;
}

/** Results of mutating requests sent with an actionId, kept a week so a retry gets the same answer. */
export interface AppliedActionsTable {
  operator_id: string;
  action_id: string;
  method: string;
  result: Json<unknown>;
  created_at: CreatedAt;
}

export interface ChatsTable {
  id: string;
  status: 'open' | 'closed';
  /** The assigned operator; null once that operator is deleted. */
  operator_id: string | null;
  visitor_name: string;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
  /** The queue the chat waits in; null for chats opened straight onto an operator. */
  group_id: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * waiting: in the queue. offered: ringing at offered_to (while operator_id, if set, is the
   * colleague handing it over). assigned: operator_id has it. closed: ended.
   */
  queue_state: ColumnType<QueueState, QueueState | undefined, QueueState>;
  offered_to: ColumnType<string | null, string | null | undefined, string | null>;
  offered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Higher goes first. */
  priority: ColumnType<number, number | undefined, number>;
  /** Since when the chat waits for an operator to accept it. */
  queued_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  outcome: ColumnType<ChatOutcome | null, ChatOutcome | null | undefined, ChatOutcome | null>;
  visitor_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** What the visitor entered in the pre-chat form. */
  visitor_fields: JsonWithDefault<VisitorFields>;
  page_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** The id of the newest message the operator has seen. */
  operator_read_up_to: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  rating: ColumnType<number | null, number | null | undefined, number | null>;
  rating_comment: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A website visitor who consented; identified by a bearer token the widget keeps. */
export interface VisitorsTable {
  id: string;
  /** SHA-256 of the visitor token. */
  token_hash: string;
  group_id: string;
  language: string;
  address: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface ConsentsTable {
  id: GeneratedAlways<string>;
  visitor_id: string;
  group_id: string;
  notice_version: string;
  language: string;
  given_at: Timestamp;
}

export interface TicketsTable {
  id: string;
  number: GeneratedAlways<string>;
  subject: string;
  body: string;
  status: ColumnType<'open' | 'pending' | 'closed', 'open' | 'pending' | 'closed' | undefined>;
  source: 'chat' | 'offline_form';
  group_id: string | null;
  chat_id: string | null;
  visitor_id: string | null;
  requester_fields: JsonWithDefault<VisitorFields>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface CannedResponsesTable {
  id: string;
  /** Null: shared with the team. */
  owner_id: string | null;
  shortcut: string;
  title: string;
  text: string;
  updated_at: Timestamp;
}

/** The tombstone of an erasure: ids only, never what the records said. */
export interface ErasuresTable {
  id: string;
  erased_at: Timestamp;
  erased_by: string | null;
  record_ids: ColumnType<ErasedIds, string, string>;
}

export interface ErasedIds {
  visitors: string[];
  chats: string[];
  tickets: string[];
}

/** One-time set-up codes for new operators, stored as SHA-256 hashes. */
export interface OperatorSetupsTable {
  token_hash: string;
  operator_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface OperatorPresenceTable {
  operator_id: string;
  instance_id: string;
  seen_at: Timestamp;
}

export type QueueState = 'waiting' | 'offered' | 'assigned' | 'closed';
export type ChatOutcome = 'answered' | 'missed' | 'abandoned';

/** Every offer of a chat to an operator and how it ended, for routing and missed-chat counts. */
export interface ChatOffersTable {
  id: GeneratedAlways<string>;
  chat_id: string;
  operator_id: string;
  offered_at: Timestamp;
  /** Null while ringing, and when withdrawn because the visitor left (decided_at set). */
  outcome: ColumnType<
    'accepted' | 'missed' | 'declined' | null,
    'accepted' | 'missed' | 'declined' | null | undefined,
    'accepted' | 'missed' | 'declined' | null
  >;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ChatMessagesTable {
  /** Identity: orders the messages of a chat. */
  id: GeneratedAlways<string>;
  chat_id: string;
  author_kind: 'visitor' | 'operator' | 'system';
  author_id: string | null;
  author_name: string;
  text: string;
  /** The sender's idempotency key, unique per chat. */
  client_msg_id: string | null;
  created_at: CreatedAt;
  /** For operators only: the visitor never sees it. */
  internal: ColumnType<boolean, boolean | undefined, boolean>;
}

/** A password step that succeeded and now waits for the second factor or TOTP enrolment. */
export interface LoginTicketsTable {
  ticket_hash: string;
  operator_id: string;
  purpose: 'second_factor' | 'enrolment';
  device_id: string | null;
  device_name: string | null;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

/** Failed-attempt counters and lockouts, per account and per source address. */
export interface AuthThrottleTable {
  scope: 'account' | 'address';
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface IpRulesTable {
  id: string;
  scope: 'global' | 'role' | 'operator';
  /** The role name or operator id the rule applies to; '' for global rules. */
  subject: string;
  cidr: string;
  created_at: CreatedAt;
}

/** Per-device keys released after a full login (they wrap the desktop's cache key). */
export interface DevicesTable {
  id: string;
  operator_id: string;
  name: string | null;
  device_key: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

/** Server-wide settings such as the security policy, one JSON document per key. */
export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  address: string | null;
  details: Json<Record<string, unknown>>;
}

export interface Database {
  operators: OperatorsTable;
  groups: GroupsTable;
  operator_groups: OperatorGroupsTable;
  recovery_codes: RecoveryCodesTable;
  sessions: SessionsTable;
  login_tickets: LoginTicketsTable;
  auth_throttle: AuthThrottleTable;
  ip_rules: IpRulesTable;
  devices: DevicesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  operator_events: OperatorEventsTable;
  applied_actions: AppliedActionsTable;
  chats: ChatsTable;
  chat_messages: ChatMessagesTable;
  chat_offers: ChatOffersTable;
  visitors: VisitorsTable;
  consents: ConsentsTable;
  tickets: TicketsTable;
  canned_responses: CannedResponsesTable;
  operator_presence: OperatorPresenceTable;
  operator_setups: OperatorSetupsTable;
  erasures: ErasuresTable;
}

export type Operator = Selectable<OperatorsTable>;
export type NewOperator = Insertable<OperatorsTable>;
export type OperatorUpdate = Updateable<OperatorsTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Chat = Selectable<ChatsTable>;
export type Group = Selectable<GroupsTable>;
export type ChatOffer = Selectable<ChatOffersTable>;
export type ChatMessageRow = Selectable<ChatMessagesTable>;
export type Visitor = Selectable<VisitorsTable>;
export type TicketRow = Selectable<TicketsTable>;
export type CannedResponseRow = Selectable<CannedResponsesTable>;

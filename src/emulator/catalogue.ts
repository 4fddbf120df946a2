/**
 * The event-type catalogue the emulator serves at /v1/Types and /v1/Schemas (SPEC §13): real Twilio
 * Event Streams types with their real schema ids. Data only; event-catalogue.ts indexes it.
 *
 * Sources (read 2025–2026):
 * - https://www.twilio.com/docs/events/event-types (the list of types) and the per-product pages:
 *   https://www.twilio.com/docs/events/event-types/messaging/outbound-message (Messaging.MessageStatus,
 *   examples at /8, "v7 only contains updates to the schema metadata"),
 *   …/messaging/inbound-message (Messaging.InboundMessageV1, examples at /6),
 *   …/voice/status-callback, …/voice/twiml, …/voice/call-progress-event (Voice.WebhookEvent /2, "v2
 *   only contains updates to the schema metadata"; the com.twilio.voice.webhook.status-callback.call.*
 *   types are marked "Deprecated event type"),
 *   …/taskrouter/reservation (TaskRouter.WDSEvent, examples at /4; schema version 2 added
 *   worker_time_in_previous_activity_ms),
 *   …/studio/flow (Studio.FlowExecutionEvent /2, v2 metadata only),
 *   …/errors/error-logs (ErrorLogs.Error /2),
 *   …/conversations/conversation, …/conversations/message, …/conversations/participant
 *   (Conversations.*Added /2, v2 metadata only),
 *   …/verify/message-status (AccountSecurity.MessageStatusEvent /1 and /2).
 * - https://events-schemas.twilio.com/Messaging.MessageStatus/4 (the fields and required list of v4).
 * - https://www.twilio.com/en-us/changelog/status-update-event-streams-now-include-additional-data
 *   (2024-11-21: a new Messaging.MessageStatus version with numberOfSegments and dateUpdated).
 * - The OpenAPI file (test/reference/twilio_events_v1.yaml): the resource shapes, the example
 *   description style and the dates of its Messaging.MessageStatus examples.
 * - The Voice Insights call-summary types and the Studio.FlowStepEvent id come from public code that
 *   lists Twilio's event types (a Twilio skills reference catalogue, a schema-version table), not
 *   from a Twilio page.
 *
 * What no public source gives, and is therefore plausible rather than real: the version numbers
 * below the documented latest one are taken to be 1…latest with no gaps; the dates (`date_created`
 * of types and of schema versions) except the OpenAPI file's; which fields each older version
 * lacked (only the changes named above are modelled); Studio.FlowStepEvent's and
 * VoiceInsights.CallSummary's latest version (2). `raw` documents are small JSON Schemas built from
 * the documented fields, not copies of Twilio's.
 */

/** How an event type may be used (the OpenAPI file names `restricted` and `discontinued` too; none here). */
export type EventTypeStatus = 'available' | 'deprecated';

export interface CatalogueEventType {
  readonly type: string;
  readonly schemaId: string;
  readonly description: string;
  readonly status: EventTypeStatus;
  readonly documentationUrl: string | null;
  readonly dateCreated: string;
  readonly dateUpdated: string;
}

export interface CatalogueSchemaVersion {
  readonly version: number;
  readonly dateCreated: string;
  /** The version's JSON Schema document, as text. */
  readonly raw: string;
}

export interface CatalogueSchema {
  readonly id: string;
  /** Ascending by version. */
  readonly versions: readonly CatalogueSchemaVersion[];
}

type FieldType = 'string' | 'integer' | 'boolean' | 'object';

/** A schema as described here: fields of version 1, fields later versions added, one date per version. */
interface SchemaSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly required: readonly string[];
  readonly fields: Readonly<Record<string, FieldType>>;
  /** Fields added by a version (by version number); versions not named here changed metadata only. */
  readonly added?: Readonly<Record<number, Readonly<Record<string, FieldType>>>>;
  /** `date_created` of versions 1, 2, …; its length is the number of versions. */
  readonly dates: readonly string[];
}

const SCHEMA_SPECS: readonly SchemaSpec[] = [
  {
    id: 'Messaging.MessageStatus',
    title: 'MessageStatus',
    description: 'MessageStatus event definition',
    required: ['messageSid', 'timestamp', 'accountSid', 'eventName', 'apiVersion', 'from', 'to', 'messageStatus'],
    fields: {
      messageSid: 'string', timestamp: 'string', accountSid: 'string', eventName: 'string', apiVersion: 'string', from: 'string', to: 'string',
      messageStatus: 'string', messagingServiceSid: 'string', errorCode: 'integer', body: 'string', statusCallBackUrl: 'string', tags: 'object',
    },
    added: { 5: { mnc: 'string', mcc: 'string', rawDlrDoneDate: 'string' }, 6: { numberOfSegments: 'integer', dateUpdated: 'string' } },
    dates: ['2020-07-30T20:00:00Z', '2021-02-16T18:00:00Z', '2021-09-01T17:00:00Z', '2022-03-10T16:00:00Z', '2023-05-24T15:00:00Z', '2024-11-21T17:00:00Z', '2025-03-12T16:00:00Z', '2025-08-06T16:00:00Z'],
  },
  {
    id: 'Messaging.InboundMessageV1',
    title: 'InboundMessage',
    description: 'Inbound message event definition',
    required: ['messageSid', 'timestamp', 'accountSid', 'eventName', 'from', 'to'],
    fields: {
      messageSid: 'string', timestamp: 'string', accountSid: 'string', eventName: 'string', from: 'string', to: 'string', numMedia: 'integer', body: 'string',
      toCountry: 'string', toState: 'string', toCity: 'string', toZip: 'string', fromCountry: 'string', fromState: 'string', fromCity: 'string', fromZip: 'string',
      messagingServiceSid: 'string',
    },
    added: { 4: { mnc: 'string', mcc: 'string' }, 6: { referralCtwaClid: 'string' } },
    dates: ['2021-03-18T20:00:00Z', '2021-10-05T17:00:00Z', '2022-06-14T16:00:00Z', '2023-02-08T16:00:00Z', '2024-04-17T15:00:00Z', '2025-06-25T15:00:00Z'],
  },
  {
    id: 'Voice.WebhookEvent',
    title: 'WebhookEvent',
    description: 'A Voice webhook (status callback or TwiML request) and its response',
    required: ['sid'],
    fields: { sid: 'string', requestDateCreated: 'string', timestamp: 'string', eventSid: 'string', request: 'object', response: 'object' },
    dates: ['2022-01-19T18:00:00Z', '2025-08-24T13:00:00Z'],
  },
  {
    id: 'TaskRouter.WDSEvent',
    title: 'WDSEvent',
    description: 'A TaskRouter workspace event',
    required: ['sid', 'name', 'account_sid', 'timestamp'],
    fields: {
      sid: 'string', name: 'string', account_sid: 'string', account_friendly_name: 'string', parent_account_sid: 'string', timestamp: 'string', level: 'string',
      group: 'string', product_name: 'string', publisher: 'string', payload: 'object',
    },
    added: { 2: { worker_time_in_previous_activity_ms: 'integer' } },
    dates: ['2020-09-23T20:00:00Z', '2021-05-21T17:00:00Z', '2022-08-03T16:00:00Z', '2024-02-14T16:00:00Z'],
  },
  {
    id: 'Studio.FlowExecutionEvent',
    title: 'FlowExecutionEvent',
    description: 'A Studio Flow execution started or ended',
    required: ['execution_sid', 'account_sid', 'flow_sid'],
    fields: {
      execution_sid: 'string', account_sid: 'string', flow_sid: 'string', contact_channel_address: 'string', status: 'string', ended_reason: 'string',
      date_created: 'string', date_updated: 'string', started_by: 'string', flow_revision: 'integer',
    },
    dates: ['2022-05-11T18:00:00Z', '2025-07-09T15:00:00Z'],
  },
  {
    id: 'Studio.FlowStepEvent',
    title: 'FlowStepEvent',
    description: 'A Studio Flow step ended',
    required: ['step_sid', 'execution_sid', 'account_sid', 'flow_sid'],
    fields: {
      step_sid: 'string', execution_sid: 'string', account_sid: 'string', flow_sid: 'string', name: 'string', transitioned_from: 'string',
      transitioned_to: 'string', date_created: 'string', flow_revision: 'integer',
    },
    dates: ['2022-05-11T18:00:00Z', '2025-07-09T15:00:00Z'],
  },
  {
    id: 'ErrorLogs.Error',
    title: 'Error',
    description: 'An error, warning or info entry of the error logs',
    required: ['sid', 'account_sid', 'date_created', 'level', 'error_code'],
    fields: {
      sid: 'string', account_sid: 'string', date_created: 'string', level: 'string', master_account_sid: 'string', request_sid: 'string',
      service_sid: 'string', correlation_sid: 'string', product_name: 'string', error_code: 'string',
    },
    dates: ['2021-06-30T18:00:00Z', '2025-05-14T15:00:00Z'],
  },
  {
    id: 'Conversations.ConversationAdded',
    title: 'ConversationAdded',
    description: 'A Conversation was added',
    required: ['AccountSid', 'ConversationSid'],
    fields: { AccountSid: 'string', ConversationSid: 'string', FriendlyName: 'string', UniqueName: 'string', State: 'string', DateCreated: 'string', MessagingServiceSid: 'string' },
    dates: ['2022-10-19T18:00:00Z', '2025-04-16T15:00:00Z'],
  },
  {
    id: 'Conversations.MessageAdded',
    title: 'MessageAdded',
    description: 'A Message was added to a Conversation',
    required: ['AccountSid', 'ConversationSid', 'MessageSid'],
    fields: {
      AccountSid: 'string', Author: 'string', ParticipantSid: 'string', ConversationSid: 'string', MessageSid: 'string', Index: 'integer', MessageBody: 'string',
      DateCreated: 'string', MessagingServiceSid: 'string',
    },
    dates: ['2022-10-19T18:00:00Z', '2025-04-16T15:00:00Z'],
  },
  {
    id: 'Conversations.ParticipantAdded',
    title: 'ParticipantAdded',
    description: 'A Participant was added to a Conversation',
    required: ['AccountSid', 'ConversationSid', 'ParticipantSid'],
    fields: { AccountSid: 'string', ParticipantSid: 'string', Identity: 'string', RoleSid: 'string', ConversationSid: 'string', DateCreated: 'string', MessagingBinding: 'object' },
    dates: ['2022-10-19T18:00:00Z', '2025-04-16T15:00:00Z'],
  },
  {
    id: 'AccountSecurity.MessageStatusEvent',
    title: 'MessageStatusEvent',
    description: 'Event that shows message status of verification events',
    required: ['account_sid', 'service_sid', 'verification_sid', 'message_status'],
    fields: {
      created_at: 'string', account_sid: 'string', service_sid: 'string', verification_sid: 'string', attempt_sid: 'string', error_code: 'string', channel: 'string',
      message_status: 'string', has_fallback: 'boolean', is_fallback: 'boolean', mnc: 'string', mcc: 'string', to: 'string', number_segments: 'integer',
    },
    added: { 2: { tags: 'object' } },
    dates: ['2024-06-12T16:00:00Z', '2025-10-08T07:00:00Z'],
  },
  {
    id: 'VoiceInsights.CallSummary',
    title: 'CallSummary',
    description: 'A Voice Insights call summary',
    required: ['call_sid', 'account_sid'],
    fields: {
      call_sid: 'string', account_sid: 'string', call_type: 'string', call_state: 'string', processing_state: 'string', start_time: 'string', end_time: 'string',
      duration: 'integer', from: 'object', to: 'object',
    },
    dates: ['2021-08-11T18:00:00Z', '2023-09-20T16:00:00Z'],
  },
];

/** The JSON Schema document of one version: the fields of version 1 plus those added up to it. */
function rawDocument(spec: SchemaSpec, version: number): string {
  const fields: Record<string, FieldType> = { ...spec.fields };
  for (let v = 2; v <= version; v++) Object.assign(fields, spec.added?.[v] ?? {});
  const properties = Object.fromEntries(Object.entries(fields).map(([name, type]) => [name, { type }]));
  return JSON.stringify({
    $id: `https://events-schemas.twilio.com/${spec.id}/${version}`,
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: spec.title,
    description: spec.description,
    type: 'object',
    properties,
    required: spec.required,
    additionalProperties: false,
  });
}

export const EVENT_SCHEMAS: readonly CatalogueSchema[] = SCHEMA_SPECS.map((spec) => ({
  id: spec.id,
  versions: spec.dates.map((dateCreated, i) => ({ version: i + 1, dateCreated, raw: rawDocument(spec, i + 1) })),
}));

const DOCS = 'https://www.twilio.com/docs/events/event-types';

/**
 * One product's types: same schema, docs page (null where no page was found) and dates;
 * `[type suffix, description, status?]`.
 */
function group(
  prefix: string,
  schemaId: string,
  page: string | null,
  dateCreated: string,
  entries: ReadonlyArray<readonly [suffix: string, description: string, status?: EventTypeStatus]>,
): CatalogueEventType[] {
  return entries.map(([suffix, description, status]) => ({
    type: `${prefix}.${suffix}`,
    schemaId,
    description,
    status: status ?? 'available',
    documentationUrl: page === null ? null : `${DOCS}/${page}`,
    dateCreated,
    dateUpdated: dateCreated,
  }));
}

/** In the order /v1/Types lists them. */
export const EVENT_TYPES: readonly CatalogueEventType[] = [
  ...group('com.twilio.messaging.message', 'Messaging.MessageStatus', 'messaging/outbound-message', '2020-08-13T13:28:20Z', [
    ['queued', 'Messaging- queued message'],
    ['sent', 'Messaging- sent message'],
    ['delivered', 'Messaging- delivered message'],
    ['failed', 'Messaging- failed message'],
    ['undelivered', 'Messaging- undelivered message'],
    ['read', 'Messaging- read message'],
  ]),
  ...group('com.twilio.messaging.inbound-message', 'Messaging.InboundMessageV1', 'messaging/inbound-message', '2021-03-18T20:00:00Z', [
    ['received', 'Messaging- inbound message received'],
  ]),
  ...group('com.twilio.voice.status-callback.call', 'Voice.WebhookEvent', 'voice/status-callback', '2022-01-19T18:00:00Z', [
    ['initiated', 'Voice- status callback, call initiated'],
    ['ringing', 'Voice- status callback, call ringing'],
    ['answered', 'Voice- status callback, call answered'],
    ['completed', 'Voice- status callback, call completed'],
  ]),
  // The older names of the call-progress events, which Twilio's docs mark deprecated.
  ...group('com.twilio.voice.webhook.status-callback.call', 'Voice.WebhookEvent', 'voice/call-progress-event', '2021-04-14T18:00:00Z', [
    ['answered', 'Voice- call progress, call answered', 'deprecated'],
    ['completed', 'Voice- call progress, call completed', 'deprecated'],
  ]),
  ...group('com.twilio.voice.twiml', 'Voice.WebhookEvent', 'voice/twiml', '2022-01-19T18:00:00Z', [
    ['call.redirected', 'Voice- TwiML call redirected'],
    ['gather.finished', 'Voice- TwiML gather finished'],
  ]),
  ...group('com.twilio.voice.insights.call-summary', 'VoiceInsights.CallSummary', null, '2021-08-11T18:00:00Z', [
    ['partial', 'Voice Insights- partial call summary'],
    ['complete', 'Voice Insights- complete call summary'],
  ]),
  ...group('com.twilio.taskrouter', 'TaskRouter.WDSEvent', 'taskrouter/task', '2020-09-23T20:00:00Z', [
    ['task.created', 'TaskRouter- task created'],
    ['task.canceled', 'TaskRouter- task canceled'],
    ['task.completed', 'TaskRouter- task completed'],
  ]),
  ...group('com.twilio.taskrouter', 'TaskRouter.WDSEvent', 'taskrouter/reservation', '2020-09-23T20:00:00Z', [
    ['reservation.created', 'TaskRouter- reservation created'],
    ['reservation.accepted', 'TaskRouter- reservation accepted'],
    ['reservation.rejected', 'TaskRouter- reservation rejected'],
    ['reservation.timeout', 'TaskRouter- reservation timed out'],
  ]),
  ...group('com.twilio.taskrouter', 'TaskRouter.WDSEvent', 'taskrouter/worker', '2020-09-23T20:00:00Z', [
    ['worker.activity.update', 'TaskRouter- worker activity updated'],
  ]),
  ...group('com.twilio.studio.flow', 'Studio.FlowExecutionEvent', 'studio/flow', '2022-05-11T18:00:00Z', [
    ['execution.started', 'Studio- flow execution started'],
    ['execution.ended', 'Studio- flow execution ended'],
  ]),
  ...group('com.twilio.studio.flow', 'Studio.FlowStepEvent', 'studio/flow', '2022-05-11T18:00:00Z', [['step.ended', 'Studio- flow step ended']]),
  ...group('com.twilio.error-logs.error', 'ErrorLogs.Error', 'errors/error-logs', '2021-06-30T18:00:00Z', [['logged', 'Error Logs- error logged']]),
  ...group('com.twilio.conversations.conversation', 'Conversations.ConversationAdded', 'conversations/conversation', '2022-10-19T18:00:00Z', [
    ['added', 'Conversations- conversation added'],
  ]),
  ...group('com.twilio.conversations.message', 'Conversations.MessageAdded', 'conversations/message', '2022-10-19T18:00:00Z', [
    ['added', 'Conversations- message added'],
  ]),
  ...group('com.twilio.conversations.participant', 'Conversations.ParticipantAdded', 'conversations/participant', '2022-10-19T18:00:00Z', [
    ['added', 'Conversations- participant added'],
  ]),
  ...group('com.twilio.accountsecurity.verify.message', 'AccountSecurity.MessageStatusEvent', 'verify/message-status', '2024-06-12T16:00:00Z', [
    ['delivered', 'Verify- verification message delivered'],
    ['failed', 'Verify- verification message failed'],
  ]),
];

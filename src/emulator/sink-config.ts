/**
 * The shape Twilio requires of each sink type's configuration. Used for `SinkConfiguration` on
 * create and for seed files, so a seeded account is one the API could have produced.
 */

/** Types the API creates. `email` exists in Twilio's enum but has no documented configuration. */
export const CREATABLE_SINK_TYPES = ['kinesis', 'webhook', 'segment'] as const;
/** Every type Twilio reports; a seed may hold any of them. */
export const SINK_TYPES = ['kinesis', 'webhook', 'segment', 'email'] as const;
export const SINK_STATUSES = ['initialized', 'validating', 'active', 'failed'] as const;

interface FieldRule {
  readonly required: boolean;
  /** Returns a problem, or undefined when the value is acceptable. */
  readonly check: (value: unknown) => string | undefined;
}

const nonEmptyString = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty string');

const awsArn = (v: unknown): string | undefined =>
  nonEmptyString(v) ?? ((v as string).startsWith('arn:') ? undefined : 'must be an Amazon Resource Name (arn:…)');

const httpUrl = (v: unknown): string | undefined => {
  if (typeof v !== 'string') return 'must be an absolute http(s) URL';
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'must be an absolute http(s) URL';
  } catch {
    return 'must be an absolute http(s) URL';
  }
};

const RULES: Readonly<Record<(typeof CREATABLE_SINK_TYPES)[number], Readonly<Record<string, FieldRule>>>> = {
  kinesis: {
    arn: { required: true, check: awsArn },
    role_arn: { required: true, check: awsArn },
    external_id: { required: true, check: nonEmptyString },
  },
  webhook: {
    destination: { required: true, check: httpUrl },
    method: {
      required: false,
      check: (v) => (typeof v === 'string' && ['GET', 'POST'].includes(v.toUpperCase()) ? undefined : 'must be GET or POST'),
    },
    batch_events: { required: false, check: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false') },
  },
  segment: {
    write_key: { required: true, check: nonEmptyString },
  },
};

export function isCreatableSinkType(t: string): t is (typeof CREATABLE_SINK_TYPES)[number] {
  return (CREATABLE_SINK_TYPES as readonly string[]).includes(t);
}

export function isSinkType(t: string): boolean {
  return (SINK_TYPES as readonly string[]).includes(t);
}

export function isSinkStatus(s: string): boolean {
  return (SINK_STATUSES as readonly string[]).includes(s);
}

/**
 * Problems with a configuration for a type, each naming the field (`write_key is required`).
 * Types without rules (email) only need an object.
 */
export function sinkConfigurationProblems(sinkType: string, config: unknown): string[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return ['must be a JSON object'];
  if (!isCreatableSinkType(sinkType)) return [];
  const rules = RULES[sinkType];
  const record = config as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, rule] of Object.entries(rules)) {
    if (!(field in record) || record[field] === null) {
      if (rule.required) problems.push(`${field} is required for a ${sinkType} sink`);
      continue;
    }
    const problem = rule.check(record[field]);
    if (problem !== undefined) problems.push(`${field} ${problem}`);
  }
  for (const field of Object.keys(record)) {
    if (!(field in rules)) problems.push(`${field} is not a ${sinkType} sink setting (expected ${Object.keys(rules).join(', ')})`);
  }
  return problems;
}

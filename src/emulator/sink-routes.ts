import { invalidParameter, invalidSinkConfiguration } from './errors.js';
import { requiredParam } from './form.js';
import { buildMeta, parsePageRequest } from './pagination.js';
import { sinkResource } from './resources.js';
import type { Handler } from './route-types.js';
import { CREATABLE_SINK_TYPES, isCreatableSinkType, isSinkStatus, SINK_STATUSES, sinkConfigurationProblems } from './sink-config.js';
import type { SinkFilter } from './store.js';

/** Handlers for /v1/Sinks, /v1/Sinks/{Sid}, and its Test and Validate actions. */

function parseBoolean(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidParameter(`Invalid ${name} ${JSON.stringify(value)}: must be true or false`);
}

/** A configuration that is not JSON is an invalid sink configuration (91000), like one with a bad field. */
function parseSinkConfiguration(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalidSinkConfiguration('Invalid SinkConfiguration: not valid JSON');
  }
}

export const listSinks: Handler = async (ctx) => {
  const request = parsePageRequest(ctx.query);
  const filters: [string, string][] = [];
  let filter: SinkFilter = {};
  const inUse = ctx.query.get('InUse');
  if (inUse !== null) {
    const value = parseBoolean('InUse', inUse);
    filter = { ...filter, inUse: value };
    filters.push(['InUse', String(value)]);
  }
  const status = ctx.query.get('Status');
  if (status !== null) {
    if (!isSinkStatus(status)) throw invalidParameter(`Invalid Status ${JSON.stringify(status)}: must be one of ${SINK_STATUSES.join(', ')}`);
    filter = { ...filter, status };
    filters.push(['Status', status]);
  }
  const page = ctx.store.listSinks(filter, request.pageSize, request.cursor);
  return {
    status: 200,
    mutated: false,
    body: {
      sinks: page.items.map((s) => sinkResource(ctx.origin, s, ctx.readBack)),
      meta: buildMeta(ctx.origin, '/v1/Sinks', filters, request, page, 'sinks'),
    },
  };
};

export const createSink: Handler = async (ctx) => {
  const form = await ctx.form();
  const description = requiredParam(form, 'Description');
  const sinkType = requiredParam(form, 'SinkType');
  const rawConfiguration = requiredParam(form, 'SinkConfiguration');
  if (!isCreatableSinkType(sinkType)) {
    throw invalidParameter(`Invalid SinkType ${JSON.stringify(sinkType)}: must be one of ${CREATABLE_SINK_TYPES.join(', ')}`);
  }
  const configuration = parseSinkConfiguration(rawConfiguration);
  const problems = sinkConfigurationProblems(sinkType, configuration);
  if (problems.length > 0) throw invalidSinkConfiguration(`Invalid SinkConfiguration for a ${sinkType} sink: ${problems.join('; ')}`);
  const sink = ctx.store.createSink({ description, sinkType, sinkConfiguration: configuration as Record<string, unknown> });
  return { status: 201, mutated: true, created: true, body: sinkResource(ctx.origin, sink, ctx.readBack) };
};

export const fetchSink: Handler = async (ctx, [sid]) => ({
  status: 200,
  mutated: false,
  body: sinkResource(ctx.origin, ctx.store.getSink(sid!), ctx.readBack),
});

export const updateSink: Handler = async (ctx, [sid]) => {
  ctx.store.getSink(sid!); // an unknown sink is a 404 before parameter problems
  const description = requiredParam(await ctx.form(), 'Description');
  return { status: 200, mutated: true, body: sinkResource(ctx.origin, ctx.store.updateSink(sid!, description), ctx.readBack) };
};

export const deleteSink: Handler = async (ctx, [sid]) => {
  ctx.store.deleteSink(sid!);
  return { status: 204, mutated: true };
};

export const testSink: Handler = async (ctx, [sid]) => {
  ctx.store.testSink(sid!);
  return { status: 201, mutated: true, body: { result: 'submitted' } };
};

/** Answers `valid`; in legacy activation the store first refuses a test id the sink was never sent. */
export const validateSink: Handler = async (ctx, [sid]) => {
  ctx.store.getSink(sid!);
  const testId = requiredParam(await ctx.form(), 'TestId');
  ctx.store.validateSink(sid!, testId);
  return { status: 201, mutated: true, body: { result: 'valid' } };
};

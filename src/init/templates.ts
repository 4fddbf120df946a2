/**
 * The files `sinkops init` writes (SPEC §15): a starter repository that holds only YAML and runs
 * sinkops through its GitHub Action. Pure: text in, text out; the command (src/cli/commands/init.ts)
 * does the file system.
 */
import { sinkSchemaObject } from '../desired/schema.js';

/** The sink folder the starter uses, relative to the repository root (the action's `dir` input). */
export const STARTER_SINKS_DIR = 'sinks';

/** The globs the editor settings map the schema to. */
export const SCHEMA_GLOBS: readonly string[] = [`${STARTER_SINKS_DIR}/**/*.yaml`, `${STARTER_SINKS_DIR}/**/*.yml`];

export const VSCODE_SETTINGS = '.vscode/settings.json';

export interface StarterOptions {
  /** `--stack S`: passed to every step of the workflows, and part of their concurrency group. */
  readonly stack?: string;
}

export interface StarterFile {
  /** Relative to the repository root, with `/`. */
  readonly path: string;
  readonly content: string;
}

/** Secrets the workflows read, with where each goes: printed by `init`. */
export const STARTER_SECRETS: readonly { readonly name: string; readonly where: string; readonly holds: string }[] = [
  { name: 'TWILIO_ACCOUNT_SID', where: 'repository secret', holds: 'the Account SID (AC…)' },
  {
    name: 'TWILIO_PLAN_API_KEY',
    where: 'repository secret',
    holds: 'SID (SK…) of an API key for plan: a restricted key that may only read Event Streams, where the account offers one',
  },
  { name: 'TWILIO_PLAN_API_SECRET', where: 'repository secret', holds: "that plan key's secret" },
  { name: 'TWILIO_API_KEY', where: "secret of the environment 'production'", holds: 'SID (SK…) of an API key that may write Event Streams, for apply' },
  { name: 'TWILIO_API_SECRET', where: "secret of the environment 'production'", holds: "that apply key's secret" },
];

/**
 * The sink schema's published `$id` (read as src/import/to-yaml.ts reads it): an editor resolves
 * it from any repository, where a path to this package's schemas/ would not.
 */
export function starterSchemaUrl(): string {
  const id = sinkSchemaObject()['$id'];
  if (typeof id !== 'string' || !/^https:\/\//.test(id)) throw new Error('schemas/sink.schema.json has no https $id');
  return id;
}

function exampleSink(schemaUrl: string): string {
  return `# yaml-language-server: $schema=${schemaUrl}
# An example: change it to your own sink, or delete this file. One YAML document per sink; a file
# may hold several, separated by ---. The schema above makes editors check and complete as you type.
name: example-webhook                  # the stable key: lowercase letters, digits and dashes
description: Example webhook sink      # Twilio's Description: plain text, no personal data
sink_type: webhook                     # webhook | kinesis | segment
sink_configuration:
  destination: https://example.org/webhooks/twilio-events   # absolute http(s) URL
  method: POST
  batch_events: false
subscriptions:                         # the events Twilio delivers to this sink
  - name: message-status
    description: Message delivery receipts
    events:                            # event type: schema version
      com.twilio.messaging.message.delivered: 2
`;
}

/** ` with:` lines shared by every step that runs the action: dir and, with a stack, stack. */
function withLines(indent: string, options: StarterOptions, lines: Readonly<Record<string, string>>): string {
  const all: Record<string, string> = { ...lines };
  if (options.stack !== undefined) all['stack'] = options.stack;
  return Object.entries(all)
    .map(([k, v]) => `${indent}${k}: ${v}`)
    .join('\n');
}

function planWorkflow(options: StarterOptions): string {
  const w = (lines: Record<string, string>): string => withLines('          ', options, lines);
  const suffix = options.stack === undefined ? '' : `-${options.stack}`;
  return `# sinkops plan: on every pull request that touches ${STARTER_SINKS_DIR}/, validate the sinks (annotations on
# the changed lines), compute the plan with a read-only key and post it as one sticky comment, edited
# in place on every push. The tool is the sinkops action, never code from the pull request.
# Written by \`sinkops init\`.
name: sinkops plan${options.stack === undefined ? '' : ` (${options.stack})`}

on:
  pull_request:
    paths:
      - '${STARTER_SINKS_DIR}/**'

permissions:
  contents: read
  pull-requests: write

concurrency:
  group: sinkops-plan${suffix}-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  plan:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false

      - name: Validate
        uses: sinkops/sinkops@v0
        with:
${w({ command: 'validate', dir: STARTER_SINKS_DIR, format: 'github' })}

      # A pull request from a fork gets no secrets: it is validated only.
      - name: Plan
        id: plan
        if: github.event.pull_request.head.repo.full_name == github.repository
        continue-on-error: true
        uses: sinkops/sinkops@v0
        with:
${w({ command: 'plan', dir: STARTER_SINKS_DIR, format: 'markdown', args: '--annotations' })}
        env:
          # Read-only credentials: plan never needs to write.
          TWILIO_ACCOUNT_SID: \${{ secrets.TWILIO_ACCOUNT_SID }}
          TWILIO_API_KEY: \${{ secrets.TWILIO_PLAN_API_KEY }}
          TWILIO_API_SECRET: \${{ secrets.TWILIO_PLAN_API_SECRET }}
          # Add here every variable your sinks reference with \${…}, as in the apply workflow.

      - name: Comment on the pull request
        if: steps.plan.outputs.stdout-file != ''
        uses: sinkops/sinkops@v0
        with:
${w({ command: 'github', args: 'comment --file ${{ steps.plan.outputs.stdout-file }}' })}
        env:
          GITHUB_TOKEN: \${{ github.token }}

      - name: Job summary
        if: steps.plan.outputs.stdout-file != ''
        env:
          PLAN_FILE: \${{ steps.plan.outputs.stdout-file }}
        run: cat "$PLAN_FILE" >> "$GITHUB_STEP_SUMMARY"

      - name: Fail when the plan failed
        if: steps.plan.outcome == 'failure'
        env:
          EXIT_CODE: \${{ steps.plan.outputs.exit-code }}
        run: |
          echo "::error::sinkops plan failed (exit code $EXIT_CODE); see the Plan step"
          exit 1
`;
}

function applyWorkflow(options: StarterOptions): string {
  const w = (lines: Record<string, string>): string => withLines('          ', options, lines);
  const suffix = options.stack === undefined ? '' : `-${options.stack}`;
  return `# sinkops apply: a merge to main that touches ${STARTER_SINKS_DIR}/ applies the plan reviewed on its pull
# request, and only that one: when the plan computed now has another hash, nothing is applied and
# the job fails. After reviewing the new plan, run this workflow by hand (Actions → Run workflow)
# with its plan hash: the apply still checks that it is the plan that runs.
# Written by \`sinkops init\`.
name: sinkops apply${options.stack === undefined ? '' : ` (${options.stack})`}

on:
  push:
    branches: [main]
    paths:
      - '${STARTER_SINKS_DIR}/**'
  workflow_dispatch:
    inputs:
      plan-hash:
        description: 'The reviewed plan hash (sha256:…, at the foot of the plan comment or from sinkops plan --format markdown)'
        required: true
        type: string

permissions:
  contents: read
  pull-requests: write

# One apply at a time, none cancelled halfway.
concurrency:
  group: sinkops-apply${suffix}
  cancel-in-progress: false

jobs:
  apply:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    # Holds the write credentials; add required reviewers to it if you want a second pair of eyes.
    environment: production
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false

      - name: Find the reviewed plan
        id: reviewed
        if: github.event_name == 'push'
        uses: sinkops/sinkops@v0
        with:
${w({ command: 'github', args: 'reviewed-hash' })}
        env:
          GITHUB_TOKEN: \${{ github.token }}

      - name: Apply
        id: apply
        continue-on-error: true
        uses: sinkops/sinkops@v0
        with:
${w({ command: 'apply', dir: STARTER_SINKS_DIR, format: 'markdown', args: '--yes --expect-plan-hash ${{ steps.reviewed.outputs.plan-hash || inputs.plan-hash }}' })}
        env:
          TWILIO_ACCOUNT_SID: \${{ secrets.TWILIO_ACCOUNT_SID }}
          TWILIO_API_KEY: \${{ secrets.TWILIO_API_KEY }}
          TWILIO_API_SECRET: \${{ secrets.TWILIO_API_SECRET }}
          # Add here every variable your sinks reference with \${…}, as in the plan workflow.

      - name: Job summary
        if: steps.apply.outputs.stdout-file != ''
        env:
          RESULT_FILE: \${{ steps.apply.outputs.stdout-file }}
        run: cat "$RESULT_FILE" >> "$GITHUB_STEP_SUMMARY"

      - name: Comment on the merged pull request
        if: github.event_name == 'push' && steps.apply.outputs.stdout-file != ''
        uses: sinkops/sinkops@v0
        with:
${w({ command: 'github', args: 'comment --new --file ${{ steps.apply.outputs.stdout-file }}' })}
        env:
          GITHUB_TOKEN: \${{ github.token }}

      # 3: only blocked actions (a sink a subscription sinkops does not manage holds): a warning.
      - name: Result
        env:
          EXIT_CODE: \${{ steps.apply.outputs.exit-code }}
        run: |
          case "$EXIT_CODE" in
            0) echo "Applied." ;;
            3) echo "::warning::sinkops apply: some actions are blocked; the job summary says which and why" ;;
            *) echo "::error::sinkops apply failed (exit code \${EXIT_CODE:-none}); see the Apply step"; exit 1 ;;
          esac
`;
}

/** The files `init` writes, in the order it lists them (editor settings apart: see mergeVscodeSettings). */
export function starterFiles(options: StarterOptions = {}): readonly StarterFile[] {
  const schemaUrl = starterSchemaUrl();
  return [
    { path: `${STARTER_SINKS_DIR}/example-webhook.yaml`, content: exampleSink(schemaUrl) },
    { path: '.github/workflows/sinkops-plan.yml', content: planWorkflow(options) },
    { path: '.github/workflows/sinkops-apply.yml', content: applyWorkflow(options) },
  ];
}

export type SettingsMerge =
  /** The text to write (a new file, or the existing settings with the mapping added). */
  | { readonly kind: 'write'; readonly content: string }
  /** The existing settings already map the schema to every glob. */
  | { readonly kind: 'unchanged' }
  /** The existing file is not a JSON object (JSON with comments included): left alone. */
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * `.vscode/settings.json` with `yaml.schemas` mapping the schema URL to the sink globs: new, or
 * merged into `existing` (other settings and mappings kept) when that is a JSON object.
 */
export function mergeVscodeSettings(existing: string | undefined, schemaUrl: string = starterSchemaUrl()): SettingsMerge {
  const render = (o: unknown): string => `${JSON.stringify(o, null, 2)}\n`;
  if (existing === undefined) return { kind: 'write', content: render({ 'yaml.schemas': { [schemaUrl]: [...SCHEMA_GLOBS] } }) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(existing);
  } catch (e) {
    return { kind: 'invalid', reason: `it is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'invalid', reason: 'it is not a JSON object' };
  const settings = parsed as Record<string, unknown>;
  const schemas = settings['yaml.schemas'] ?? {};
  if (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)) return { kind: 'invalid', reason: '"yaml.schemas" is not an object' };
  const mapped = (schemas as Record<string, unknown>)[schemaUrl];
  const globs: string[] = typeof mapped === 'string' ? [mapped] : Array.isArray(mapped) ? mapped.filter((g): g is string => typeof g === 'string') : [];
  const missing = SCHEMA_GLOBS.filter((g) => !globs.includes(g));
  if (missing.length === 0) return { kind: 'unchanged' };
  return { kind: 'write', content: render({ ...settings, 'yaml.schemas': { ...(schemas as Record<string, unknown>), [schemaUrl]: [...globs, ...missing] } }) };
}

/** What to add by hand when the settings file was left alone. */
export function vscodeSettingsSnippet(schemaUrl: string = starterSchemaUrl()): string {
  return JSON.stringify({ 'yaml.schemas': { [schemaUrl]: [...SCHEMA_GLOBS] } }, null, 2);
}

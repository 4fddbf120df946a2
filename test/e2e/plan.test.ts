/**
 * `sinkops plan` end to end: the CLI (in-process, see helpers/cli.ts) against emulators on
 * 127.0.0.1. Every scenario's runs start together in `beforeAll` (they are independent) and each
 * test reads the results it needs, so the file costs about as long as its slowest few runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  E2E_ACCOUNT_SID,
  E2E_AUTH_TOKEN,
  E2E_TEST_TIMEOUT_MS,
  expectNoSecrets,
  managed,
  REPO_ROOT,
  runCli,
  sid,
  startE2eEmulator,
  writeRepo,
  type CliResult,
  type E2eEmulator,
} from './helpers/index.js';
import { everyActionRepo, everyActionSeed, HOSTILE_DESCRIPTION, SECRETS, SIDS } from './helpers/every-action.js';

const validatePlan = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'plan.schema.json'), 'utf8')) as object,
);

function expectValidPlanJson(text: string): any {
  const doc = JSON.parse(text);
  const ok = validatePlan(doc);
  expect(validatePlan.errors ?? [], 'plan JSON must match schemas/plan.schema.json').toEqual([]);
  expect(ok).toBe(true);
  return doc;
}

/** A run started now and awaited later: its rejection must not count as unhandled meanwhile. */
function started(p: Promise<CliResult>): Promise<CliResult> {
  p.catch(() => undefined);
  return p;
}

const HOOK = (path: string) => ({ destination: `https://example.org/${path}`, method: 'POST' });

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

let repo: string; // every-action repository
let emu: E2eEmulator; // every-action account
let quietEmu: E2eEmulator; // receives only requests that must never be sent
let emptyRepo: string; // declares no sink
let runs: Record<string, Promise<CliResult>>;

beforeAll(async () => {
  const [everyEmu, sameEmu, stackEmu, emptyEmu, silentEmu] = await Promise.all([
    startE2eEmulator(everyActionSeed()),
    // Matches its repository exactly.
    startE2eEmulator({
      sinks: [{ sid: sid('DG', 1), description: managed('Orders', 'orders'), sink_type: 'webhook', sink_configuration: HOOK('orders') }],
      subscriptions: [],
    }),
    // One name, three owners: the blue stack, the green stack, and no stack.
    startE2eEmulator({
      sinks: [
        { sid: sid('DG', 0xb1), description: managed('App', 'app', 'blue'), sink_type: 'webhook', sink_configuration: HOOK('app') },
        { sid: sid('DG', 0xb2), description: managed('Old', 'old', 'blue'), sink_type: 'webhook', sink_configuration: HOOK('old') },
        { sid: sid('DG', 0x61), description: managed('App', 'app', 'green'), sink_type: 'webhook', sink_configuration: HOOK('green-app') },
        { sid: sid('DG', 0x01), description: managed('App', 'app'), sink_type: 'webhook', sink_configuration: HOOK('plain-app') },
      ],
      subscriptions: [],
    }),
    // Three managed sinks, one in use; paired with a repository that declares none.
    startE2eEmulator({
      sinks: [
        { sid: sid('DG', 1), description: managed('A', 'a'), sink_type: 'webhook', sink_configuration: HOOK('a') },
        { sid: sid('DG', 2), description: managed('B', 'b'), sink_type: 'webhook', sink_configuration: HOOK('b') },
        { sid: sid('DG', 3), description: managed('C', 'c'), sink_type: 'webhook', sink_configuration: HOOK('c') },
        { sid: sid('DG', 4), description: 'Not ours', sink_type: 'webhook', sink_configuration: HOOK('d') },
      ],
      subscriptions: [{ sid: sid('DF', 3), description: 'holds c', sink_sid: sid('DG', 3) }],
    }),
    startE2eEmulator(everyActionSeed()),
  ]);
  emu = everyEmu;
  quietEmu = silentEmu;
  const [sameRepo, stackRepo, emptied, invalidRepo] = await Promise.all([
    writeRepo({ 'sinks/orders.yaml': { name: 'orders', description: 'Orders', sink_type: 'webhook', sink_configuration: HOOK('orders') } }),
    writeRepo({ 'sinks/app.yaml': { name: 'app', description: 'App', sink_type: 'webhook', sink_configuration: HOOK('app') } }),
    writeRepo({ 'sinks/README.md': 'No sinks here: a mistyped or emptied folder.\n' }),
    writeRepo({
      // Line 4: a misspelt key; line 5: a string where a boolean belongs.
      'sinks/bad.yaml': ['name: bad', 'description: Bad', 'sink_type: webhook', 'sink_configuration:', '  destinaton: https://example.org/x', '  batch_events: "yes"', ''].join('\n'),
      'sinks/broken.yaml': 'name: broken\ndescription: [unclosed\n',
      'sinks/one.yaml': { name: 'twin', description: 'First', sink_type: 'webhook', sink_configuration: HOOK('1') },
      'sinks/two.yaml': { name: 'twin', description: 'Second', sink_type: 'webhook', sink_configuration: HOOK('2') },
    }),
  ]);
  repo = await writeRepo(everyActionRepo());
  emptyRepo = emptied;

  const everyEnv = { ...emu.env, ...SECRETS };
  const at = (cwd: string, env: Record<string, string>) => (...args: string[]) => started(runCli(args, { cwd, env }));
  const every = at(repo, everyEnv);
  const same = at(sameRepo, sameEmu.env);
  const stack = at(stackRepo, stackEmu.env);
  const empty = at(emptyRepo, emptyEmu.env);
  runs = {
    text: every('plan', '--log-level', 'debug', '--out', 'out-text.json'),
    markdown: every('plan', '--format', 'markdown', '--log-level', 'debug', '--out', 'out-md.json'),
    json: every('plan', '--format', 'json', '--log-level', 'debug'),
    verboseJson: every('plan', '--format', 'json', '--verbose'),
    detailed: every('plan', '--detailed-exitcode'),
    noPrune: every('plan', '--no-prune', '--format', 'json'),
    sameDetailed: same('plan', '--detailed-exitcode'),
    wrongToken: started(runCli(['plan'], { cwd: sameRepo, env: { ...sameEmu.env, TWILIO_AUTH_TOKEN: 'wrong-token-SECRET-5d1e' } })),
    blue: stack('plan', '--stack', 'blue', '--format', 'json'),
    green: stack('plan', '--stack', 'green', '--format', 'json'),
    noStack: stack('plan', '--format', 'json'),
    badStack: stack('plan', '--stack', 'Blue_1'),
    emptied: empty('plan', '--out', 'refused.json'),
    emptiedJson: empty('plan', '--format', 'json'),
    emptiedAllowed: empty('plan', '--allow-empty', '--detailed-exitcode', '--format', 'json'),
    emptiedNoPrune: empty('plan', '--no-prune'),
    invalid: started(runCli(['plan'], { cwd: invalidRepo, env: quietEmu.env })),
    invalidJson: started(runCli(['plan', '--format', 'json', '--log-level', 'debug'], { cwd: invalidRepo, env: quietEmu.env })),
    noCredentials: started(runCli(['plan'], { cwd: repo, env: {} })),
    halfCredentials: started(
      runCli(['plan'], { cwd: repo, env: { TWILIO_EVENTS_BASE_URL: quietEmu.url, TWILIO_ACCOUNT_SID: E2E_ACCOUNT_SID } }),
    ),
  };
});

describe('plan: every kind of action', () => {
  it('prints each action in text with its symbol, SID, reason and the summary line', async () => {
    const r = await runs.text!;
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0); // changes, but no --detailed-exitcode
    const out = r.stdout;
    expect(out).toContain('+ sink "new-hook"  sinks/new-hook.yaml:1');
    expect(out).toContain(`~ sink "orders" (${SIDS.orders}, active)`);
    expect(out).toContain('~ description = "Orders events (old wording) [sinkops:orders]" -> "Orders events [sinkops:orders]"');
    expect(out).toContain(`~ sink "billing" (adopt ${SIDS.billing}, active)`);
    expect(out).toContain(`+/- sink "stream" (${SIDS.stream}, active)`);
    // What Twilio holds now is not shown (it may once have been filled in from a secret).
    expect(out).toMatch(/~ sink_configuration\.arn = \(remote value not shown\) -> ".*stream\/new" # forces replacement/);
    expect(out).toContain('external_id: (sensitive value)');
    expect(out).toContain(`- sink "gone" (${SIDS.gone}, active)`);
    expect(out).toContain(`! sink "held" (${SIDS.held}, active)`);
    expect(out).toContain(`cannot be deleted: in use by subscription ${SIDS.heldBy}`);
    expect(out).toMatch(new RegExp(`Unmanaged sinks \\(1, never changed by sinkops\\):\\n\\s+${SIDS.email}\\s+email\\s`));
    expect(out).not.toContain('sink "segment-feed"'); // noop: counted, not listed
    expect(out).toContain('Plan: 1 to create, 1 to update, 1 to adopt, 1 to replace, 1 to delete, 1 blocked.');
    // One documented order: creates first, deletes last.
    expect(out.indexOf('+ sink "new-hook"')).toBeLessThan(out.indexOf('+/- sink "stream"'));
    expect(out.indexOf('+/- sink "stream"')).toBeLessThan(out.indexOf('- sink "gone"'));
  });

  it('renders Markdown with the summary line, destructive actions first, and escaped remote text', async () => {
    const r = await runs.markdown!;
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md).toContain('**Plan: 1 to create, 1 to update, 1 to adopt, 1 to replace, 1 to delete, 1 blocked.**');
    expect(md).toContain('> **Warning:** this plan deletes 1 sink and replaces 1 sink; 1 blocked action will not run.');
    const lines = md.split('\n');
    // Two tables: what deletes, replaces or is blocked first (never the part a long comment cuts), then the rest.
    const tables = lines.flatMap((l, i) => (l === '| | Action | Name | SID | What |' ? [i] : []));
    const rowsOf = (h: number) => lines.slice(h + 2, lines.indexOf('', h));
    const actions = (h: number) => rowsOf(h).map((row) => row.split(/(?<!\\)\|/)[2]?.trim());
    expect(tables).toHaveLength(2);
    expect(actions(tables[0]!)).toEqual(['replace', 'blocked delete', 'delete']);
    expect(actions(tables[1]!)).toEqual(['create', 'update', 'adopt']);
    expect(rowsOf(tables[0]!).find((row) => row.includes('`held`'))).toContain(`in use by subscription ${SIDS.heldBy}`);
    // The hostile description from the account: no live HTML, and its pipes do not split cells.
    expect(md).not.toMatch(/<script/i);
    const unmanagedRow = lines.find((l) => l.includes(SIDS.email));
    expect(unmanagedRow).toBeDefined();
    expect(unmanagedRow).toContain('&lt;script&gt;');
    expect(unmanagedRow!.split(/(?<!\\)\|/)).toHaveLength(6); // | SID | Type | Status | Description |
    // The note about --out goes to stderr, so stdout stays a comment body (`> plan.md`).
    expect(md).not.toContain('Saved the plan');
    expect(r.stderr).toContain('Saved the plan to out-md.json');
  });

  it('prints JSON that matches schemas/plan.schema.json and SPEC §6', async () => {
    const r = await runs.json!;
    expect(r.code).toBe(0);
    const doc = expectValidPlanJson(r.stdout);
    expect(doc.format_version).toBe(2);
    expect(doc.summary).toEqual({ create: 1, update: 1, adopt: 1, replace: 1, delete: 1, blocked: 1, noop: 1 });
    expect(doc.actions.map((a: any) => `${a.action}:${a.name}`)).toEqual([
      'create:new-hook',
      'update:orders',
      'adopt:billing',
      'replace:stream',
      'blocked:held',
      'delete:gone',
    ]);
    const blocked = doc.actions.find((a: any) => a.action === 'blocked');
    expect(blocked).toMatchObject({ intended: 'delete', sid: SIDS.held, subscriptions: [SIDS.heldBy], reason: expect.stringMatching(new RegExp(`^in use by subscription ${SIDS.heldBy}, which sinkops does not manage`)) });
    const replace = doc.actions.find((a: any) => a.action === 'replace');
    expect(replace.after.sink_configuration.external_id).toBe('(sensitive value)');
    // The secrets came from the environment and equal the account's: only the ARN changes, nothing is unknown.
    expect(replace.changes.map((c: any) => c.path)).toEqual(['sink_configuration.arn']);
    expect(doc.warnings).toEqual([]);
    expect(doc.errors).toEqual([]);
    expect(doc.unmanaged).toEqual([{ sid: SIDS.email, description: HOSTILE_DESCRIPTION, sink_type: 'email', status: 'active' }]);
  });

  it('--out saves the plan as JSON: the same document as --format json --verbose, noops included', async () => {
    const [text, json, verbose] = await Promise.all([runs.text!, runs.json!, runs.verboseJson!]);
    expect(verbose.code).toBe(0);
    expect(text.stdout).toContain('Saved the plan to out-text.json. Apply exactly this plan with: sinkops apply out-text.json');
    const saved = readFileSync(join(repo, 'out-text.json'), 'utf8');
    expect(saved).toBe(verbose.stdout);
    expect(readFileSync(join(repo, 'out-md.json'), 'utf8')).toBe(saved);
    const doc = expectValidPlanJson(saved);
    expect(doc.actions.find((a: any) => a.action === 'noop')).toMatchObject({ name: 'segment-feed', sid: SIDS.segmentFeed });
    // Without --verbose the printed plan is the saved one minus the noop entries.
    expect(JSON.parse(json.stdout)).toEqual({ ...doc, actions: doc.actions.filter((a: any) => a.action !== 'noop') });
  });

  it('--detailed-exitcode exits 2 when there are changes', async () => {
    const r = await runs.detailed!;
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Plan: 1 to create');
  });

  it('--no-prune plans no delete (not even a blocked one) and warns about what it kept', async () => {
    const r = await runs.noPrune!;
    expect(r.code).toBe(0);
    const doc = expectValidPlanJson(r.stdout);
    expect(doc.summary).toMatchObject({ create: 1, update: 1, adopt: 1, replace: 1, delete: 0, blocked: 0 });
    const warning = doc.warnings.find((w: any) => w.code === 'PRUNE_DISABLED');
    expect(warning?.message).toMatch(/gone/);
    expect(warning?.message).toMatch(/held/);
  });

  it('never prints a secret: not in stdout, stderr (debug logs), or saved plans, in any format', async () => {
    const all = await Promise.all(['text', 'markdown', 'json', 'verboseJson', 'detailed', 'noPrune'].map((k) => runs[k]!));
    expect(all[0]!.stderr).toContain('"level":20'); // debug logs were on, so they were checked too
    const texts: Record<string, string> = {
      'out-text.json': readFileSync(join(repo, 'out-text.json'), 'utf8'),
      'out-md.json': readFileSync(join(repo, 'out-md.json'), 'utf8'),
    };
    all.forEach((r, i) => {
      texts[`run ${i} stdout`] = r.stdout;
      texts[`run ${i} stderr`] = r.stderr;
    });
    const basic = Buffer.from(`${E2E_ACCOUNT_SID}:${E2E_AUTH_TOKEN}`).toString('base64');
    expectNoSecrets(texts, [SECRETS.E2E_EXTERNAL_ID, SECRETS.E2E_WRITE_KEY, E2E_AUTH_TOKEN, basic]);
  });
});

describe('plan: no changes', () => {
  it('says so and exits 0 even with --detailed-exitcode', async () => {
    const r = await runs.sameDetailed!;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes. Twilio sinks match the repository.');
    expect(r.stdout).not.toMatch(/^Plan:/m);
  });
});

describe('plan --stack', () => {
  it('manages only the sinks marked with its stack; the others are unmanaged, never deleted', async () => {
    const blue = expectValidPlanJson((await runs.blue!).stdout);
    expect(blue.summary).toMatchObject({ noop: 1, delete: 1, create: 0, replace: 0 });
    expect(blue.actions.map((a: any) => `${a.action}:${a.name}:${a.sid}`)).toEqual([`delete:old:${sid('DG', 0xb2)}`]);
    expect(blue.unmanaged.map((s: any) => s.sid).sort()).toEqual([sid('DG', 0x01), sid('DG', 0x61)].sort());

    const green = expectValidPlanJson((await runs.green!).stdout);
    expect(green.actions.map((a: any) => `${a.action}:${a.sid}`)).toEqual([`replace:${sid('DG', 0x61)}`]);
    expect(green.actions[0].after.description).toBe('App [sinkops:green/app]');

    const plain = expectValidPlanJson((await runs.noStack!).stdout);
    expect(plain.actions.map((a: any) => `${a.action}:${a.sid}`)).toEqual([`replace:${sid('DG', 0x01)}`]);
    expect(plain.unmanaged.map((s: any) => s.sid).sort()).toEqual([sid('DG', 0xb1), sid('DG', 0xb2), sid('DG', 0x61)].sort());
  });

  it('rejects a stack name that could not be a marker', async () => {
    const r = await runs.badStack!;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--stack must be lowercase letters, digits and dashes (at most 32), not 'Blue_1'");
  });
});

describe('plan: pruning every managed sink', () => {
  it('is refused without --allow-empty: the plan is shown, exit 1 names the flag, no plan file is saved', async () => {
    const r = await runs.emptied!;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("warning: no sink files (*.yaml, *.yml) under 'sinks'");
    expect(r.stderr).toMatch(/Error: refusing an unsafe plan; override with --allow-empty/);
    expect(r.stderr).toMatch(/deletes all 2 managed sink\(s\) and keeps none .*--allow-empty/);
    expect(r.stdout).toContain(`- sink "a" (${sid('DG', 1)}, active)`);
    expect(r.stdout).toContain(`! sink "c" (${sid('DG', 3)}, active)`); // in use: blocked, still not a kept sink
    expect(existsSync(join(emptyRepo, 'refused.json'))).toBe(false);
    expect((await runs.emptiedJson!).code).toBe(1);
  });

  it('is planned with --allow-empty', async () => {
    const r = await runs.emptiedAllowed!;
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(2);
    const doc = expectValidPlanJson(r.stdout);
    expect(doc.summary).toMatchObject({ delete: 2, blocked: 1 });
    expect(doc.unmanaged.map((s: any) => s.sid)).toEqual([sid('DG', 4)]);
  });

  it('is not a question with --no-prune', async () => {
    const r = await runs.emptiedNoPrune!;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });
});

describe('plan: bad input and missing credentials', () => {
  it('reports every YAML problem at its position, exits 1 and sends no request', async () => {
    const [r, json] = await Promise.all([runs.invalid!, runs.invalidJson!]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => / error: /.test(l));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sinks\/bad\.yaml:5:3: error: .*destinaton.*did you mean .*destination/),
        expect.stringMatching(/^sinks\/bad\.yaml:6:17: error: .*batch_events/),
        expect.stringMatching(/^sinks\/broken\.yaml:\d+:\d+: error: /),
        expect.stringMatching(/^sinks\/one\.yaml:\d+:\d+: error: .*twin/),
        expect.stringMatching(/^sinks\/two\.yaml:\d+:\d+: error: .*twin/),
      ]),
    );
    expect(r.stderr).toMatch(/Error: sinks: \d+ errors in the sink files; nothing was planned/);
    expect(json.code).toBe(1);
    expect(json.stdout).toBe(''); // no half a JSON document
    await Promise.all([runs.halfCredentials!]);
    expect(await quietEmu.requests()).toEqual([]);
  });

  it('names the missing credential variables, exits 1 and sends no request', async () => {
    const none = await runs.noCredentials!;
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Error: Twilio credentials are missing: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set.');
    const half = await runs.halfCredentials!;
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('Error: Twilio credentials are missing: TWILIO_AUTH_TOKEN is not set.');
    expect(await quietEmu.requests()).toEqual([]);
  });

  it('reports a rejected token as a Twilio error without printing it', async () => {
    const r = await runs.wrongToken!;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*20003/m);
    expectNoSecrets({ stdout: r.stdout, stderr: r.stderr }, ['wrong-token-SECRET-5d1e']);
  });
});

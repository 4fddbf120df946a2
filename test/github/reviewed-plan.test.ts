/**
 * The reviewed-plan round trip, in process: a real `plan --format markdown` against the emulator,
 * posted as the sticky comment, read back by `github reviewed-hash`, and checked by
 * `apply --expect-plan-hash` (refusing a changed plan, applying the reviewed one).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { expectNoSecrets, managed, sid, startE2eEmulator, writeFiles, writeRepo, type SinkDoc } from '../e2e/helpers/index.js';
import { listSinks, mutating } from '../e2e/helpers/account.js';
import { FAKE_TOKEN, githubEnv, startFakeGitHub } from './fake-github.js';

const SECRET = 'seg-write-key-s3cr3t-9c1e';
const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}`, method: 'POST' });
const DESIRED: SinkDoc[] = [
  { name: 'orders', description: 'Orders', sink_type: 'webhook', sink_configuration: hook('orders') },
  { name: 'marketing', description: 'Marketing', sink_type: 'segment', sink_configuration: { write_key: '${SEG_KEY}' } },
  { name: 'kept', description: 'Kept', sink_type: 'webhook', sink_configuration: hook('kept') },
];

async function sinkops(args: string[], cwd: string, env: Record<string, string>) {
  let out = '';
  let err = '';
  const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, stdin: Readable.from([]), env, cwd };
  const code = await run(args, io);
  return { code, out, err };
}

async function reviewedSetup() {
  const emu = await startE2eEmulator({
    sinks: [
      { sid: sid('DG', 1), description: managed('Kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
      { sid: sid('DG', 2), description: managed('Gone', 'gone'), sink_type: 'webhook', sink_configuration: hook('gone') },
    ],
    subscriptions: [],
  });
  const gh = await startFakeGitHub();
  const cwd = await writeRepo({ 'sinks/all.yaml': DESIRED });
  const env = { ...emu.env, ...githubEnv(gh), SEG_KEY: SECRET };
  const plan = await sinkops(['plan', '--format', 'markdown', '--out', 'plan.json'], cwd, env);
  expect(plan.code).toBe(0);
  const md = plan.out.slice(0, plan.out.indexOf('\nSaved the plan to'));
  await writeFiles(cwd, { 'plan.md': md });
  expect((await sinkops(['github', 'comment', '--file', 'plan.md', '--pr', '12'], cwd, env)).code).toBe(0);
  const reviewed = await sinkops(['github', 'reviewed-hash', '--pr', '12'], cwd, env);
  expect(reviewed).toMatchObject({ code: 0, err: '' });
  const hash = reviewed.out.trim();
  await emu.clearRequests();
  return { emu, gh, cwd, env, md, hash };
}

describe('reviewed plan hash', () => {
  it('reads back the hash of a real Markdown plan from the sticky comment', async () => {
    const { md, hash, gh } = await reviewedSetup();
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(md.split('\n')[0]).toBe(`<!-- sinkops:plan-hash ${hash} -->`);
    expect(gh.comments[0]!.body).toBe(`<!-- sinkops:sticky -->\n${md}`);
    expect(md).toContain('**Plan: 2 to create, 0 to update, 0 to replace, 1 to delete.**');
    expectNoSecrets({ md, comment: gh.comments[0]!.body }, [SECRET, FAKE_TOKEN]);
  });

  it('apply --expect-plan-hash refuses a plan that changed since review, sends nothing, and prints the new plan', async () => {
    const { emu, cwd, env, hash } = await reviewedSetup();
    await writeFiles(cwd, { 'sinks/all.yaml': DESIRED.map((d) => (d.name === 'orders' ? { ...d, description: 'Orders, reworded after review' } : d)) });
    const r = await sinkops(['apply', '--yes', '--expect-plan-hash', hash, '--format', 'markdown'], cwd, env);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: The plan changed since it was reviewed; nothing was applied');
    expect(r.err).toContain(`reviewed plan: ${hash}`);
    expect(r.out).toMatch(/^### sinkops apply: nothing applied\n/);
    expect(r.out).toContain('Orders, reworded after review');
    expect(r.out).toMatch(/<!-- sinkops:plan-hash sha256:[0-9a-f]{64} -->/);
    expect(r.out).not.toContain(`<!-- sinkops:plan-hash ${hash} -->`);
    expect(mutating(await emu.requests())).toEqual([]);
    expectNoSecrets({ out: r.out, err: r.err }, [SECRET]);

    // The saved plan of the reviewed state is refused the same way.
    const saved = await sinkops(['apply', 'plan.json', '--yes', '--expect-plan-hash', `sha256:${'0'.repeat(64)}`], cwd, env);
    expect(saved.code).toBe(1);
    expect(saved.out).toContain('Plan: 2 to create'); // text: the plan is printed as always
    expect(saved.err).toContain('The plan changed since it was reviewed');
    expect(mutating(await emu.requests())).toEqual([]);
  });

  it('apply --expect-plan-hash applies the reviewed plan; an unrelated change in the account does not matter', async () => {
    const { emu, cwd, env, hash } = await reviewedSetup();
    await emu.api('POST', '/v1/Sinks', { Description: 'Someone else’s hook', SinkType: 'webhook', SinkConfiguration: JSON.stringify(hook('x')) });
    const r = await sinkops(['apply', '--yes', '--expect-plan-hash', hash, '--format', 'json'], cwd, env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const names = (await listSinks(emu)).map((s) => s.description).sort();
    expect(names).toEqual(['Kept [sinkops:kept]', 'Marketing [sinkops:marketing]', 'Orders [sinkops:orders]', 'Someone else’s hook']);
  });

  it('a saved plan file passes the check with the hash it was reviewed under', async () => {
    const { emu, cwd, env, hash } = await reviewedSetup();
    expect(JSON.parse(await readFile(join(cwd, 'plan.json'), 'utf8')).plan_hash).toBe(hash);
    const r = await sinkops(['apply', 'plan.json', '--yes', '--expect-plan-hash', hash], cwd, env);
    expect(r.code).toBe(0);
    // Two creates and a delete, and the apply's lease: created, then deleted (src/apply/lease.ts).
    expect(mutating(await emu.requests()).map((q) => q.method).sort()).toEqual(['DELETE', 'DELETE', 'POST', 'POST', 'POST']);
  });

  it('reviewed-hash fails clearly without a reviewed plan', async () => {
    const gh = await startFakeGitHub();
    const cwd = await writeRepo({});
    const env = githubEnv(gh);
    const none = await sinkops(['github', 'reviewed-hash', '--pr', '3'], cwd, env);
    expect(none.code).toBe(1);
    expect(none.err).toContain('Pull request #3 has no sinkops plan comment by github-actions[bot]: no plan was reviewed.');
    gh.seed(3, '<!-- sinkops:sticky -->\n### sinkops plan skipped\n\nNo Twilio credentials on a fork pull request.\n');
    const skipped = await sinkops(['github', 'reviewed-hash', '--pr', '3'], cwd, env);
    expect(skipped.code).toBe(1);
    expect(skipped.err).toContain('carries no plan hash: the plan was skipped or failed');
    expect(skipped.out).toBe('');
    const stacked = await sinkops(['github', 'reviewed-hash', '--pr', '3', '--stack', 'prod'], cwd, env);
    expect(stacked.err).toContain('no sinkops plan comment for stack prod');
    expect((await sinkops(['github', 'reviewed-hash', '--pr', '3', '--new'], cwd, env)).err).toContain("--new is not an option of 'github reviewed-hash'");
    expect((await sinkops(['apply', '--expect-plan-hash', 'abc'], cwd, env)).err).toContain("--expect-plan-hash must be 'sha256:' followed by 64");
  });
});

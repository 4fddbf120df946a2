/**
 * The commit and the workflow run read from GitHub Actions' variables (src/github/run-context.ts),
 * and `sinkops plan --format markdown` end to end: the footer context from the environment (a
 * hostile value left out), and `--max-chars` (its bounds, and a job summary that holds the full
 * plan while the comment keeps every delete and blocked action).
 */
import { describe, expect, it, vi } from 'vitest';
import { runContextFromEnv } from '../../src/github/run-context.js';
import { MARKDOWN_LIMIT } from '../../src/render/index.js';
import { E2E_TEST_TIMEOUT_MS, managed, runCli, sid, startE2eEmulator, writeRepo, type SinkDoc } from '../e2e/helpers/index.js';

vi.setConfig({ testTimeout: E2E_TEST_TIMEOUT_MS, hookTimeout: E2E_TEST_TIMEOUT_MS });

const SHA = '0123456789abcdef0123456789abcdef01234567';
const ACTIONS = { GITHUB_SHA: SHA, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/sinks', GITHUB_RUN_ID: '9876543210' };
const RUN = 'https://github.com/acme/sinks/actions/runs/9876543210';

describe('runContextFromEnv', () => {
  it('reads the commit and builds the run URL', () => {
    expect(runContextFromEnv(ACTIONS)).toEqual({ commit: SHA, runUrl: RUN });
    expect(runContextFromEnv({ ...ACTIONS, GITHUB_SERVER_URL: 'http://ghe.example.com:8443' })).toEqual({ commit: SHA, runUrl: 'http://ghe.example.com:8443/acme/sinks/actions/runs/9876543210' });
    expect(runContextFromEnv({ ...ACTIONS, GITHUB_REPOSITORY: 'my-org/my.repo_name' }).runUrl).toBe('https://github.com/my-org/my.repo_name/actions/runs/9876543210');
  });

  it('is empty outside GitHub Actions', () => {
    expect(runContextFromEnv({})).toEqual({});
    expect(runContextFromEnv({ GITHUB_SHA: '' })).toEqual({});
  });

  it.each([
    'abc123',
    `${SHA}0`,
    SHA.toUpperCase(),
    `${SHA.slice(0, 7)}\n::set-output name=x::y`,
    `${SHA.slice(0, 7)} <img src=x onerror=alert(1)>`,
    '$(curl evil.example)',
    `${SHA.slice(0, 7)})[x](https://evil.example`,
  ])('leaves out a hostile GITHUB_SHA %j, keeping the run', (sha) => {
    expect(runContextFromEnv({ ...ACTIONS, GITHUB_SHA: sha })).toEqual({ runUrl: RUN });
  });

  it.each([
    ['GITHUB_RUN_ID', '42)[x](https://evil.example'],
    ['GITHUB_RUN_ID', '42/../../../evil'],
    ['GITHUB_RUN_ID', '42?x=1'],
    ['GITHUB_RUN_ID', '0'],
    ['GITHUB_RUN_ID', '-1'],
    ['GITHUB_RUN_ID', '4\u202e2'],
    ['GITHUB_RUN_ID', ''],
    ['GITHUB_REPOSITORY', 'acme/sinks/extra'],
    ['GITHUB_REPOSITORY', '../evil'],
    ['GITHUB_REPOSITORY', 'acme/..'],
    ['GITHUB_REPOSITORY', 'acme/sinks)'],
    ['GITHUB_REPOSITORY', 'acme'],
    ['GITHUB_REPOSITORY', '@admins/sinks'],
    ['GITHUB_SERVER_URL', 'javascript:alert(1)//'],
    ['GITHUB_SERVER_URL', 'https://github.com/'],
    ['GITHUB_SERVER_URL', 'https://evil.example/path'],
    ['GITHUB_SERVER_URL', 'https://user:pass@github.com'],
    ['GITHUB_SERVER_URL', 'https://github.com?x'],
    ['GITHUB_SERVER_URL', 'https://github.com evil'],
    ['GITHUB_SERVER_URL', 'ftp://github.com'],
    ['GITHUB_SERVER_URL', ''],
  ])('leaves out the run when %s is %j, keeping the commit', (name, value) => {
    expect(runContextFromEnv({ ...ACTIONS, [name]: value })).toEqual({ commit: SHA });
  });
});

// ---- `sinkops plan --format markdown`, in process, against the emulator ----

const hook = (path: string) => ({ destination: `https://hooks.example.org/${path}/${'p'.repeat(150)}`, method: 'POST' });

/** 300 sinks to create, 5 managed sinks to delete, 1 in use by a subscription (blocked). */
async function bigWorld() {
  const emu = await startE2eEmulator({
    sinks: [
      ...Array.from({ length: 5 }, (_, i) => ({ sid: sid('DG', 0xd0 + i), description: managed(`Gone ${i}`, `gone-${i}`), sink_type: 'webhook', sink_configuration: hook(`gone-${i}`) })),
      { sid: sid('DG', 0xe0), description: managed('Held', 'held'), sink_type: 'webhook', sink_configuration: hook('held') },
      { sid: sid('DG', 0xf0), description: managed('Kept', 'kept'), sink_type: 'webhook', sink_configuration: hook('kept') },
    ],
    subscriptions: [{ sid: sid('DF', 0xe0), description: 'made in the Console', sink_sid: sid('DG', 0xe0) }],
  });
  const docs: SinkDoc[] = [
    { name: 'kept', description: 'Kept', sink_type: 'webhook', sink_configuration: hook('kept') },
    ...Array.from({ length: 300 }, (_, i) => ({ name: `new-${i}`, description: `New sink number ${i} ${'d'.repeat(150)}`, sink_type: 'webhook', sink_configuration: hook(`new-${i}`) })),
  ];
  const cwd = await writeRepo({ 'sinks/all.yaml': docs });
  return { cwd, env: { ...emu.env } };
}

const rows = (md: string, start: string) => md.split('\n').filter((l) => l.startsWith(start));

describe('sinkops plan --format markdown', () => {
  it('the comment keeps every delete and blocked action; --max-chars 1000000 holds the full plan; the footer names the commit and the run', async () => {
    const { cwd, env } = await bigWorld();
    const comment = await runCli(['plan', '--format', 'markdown', '--sink-limit', '1000'], { cwd, env: { ...env, ...ACTIONS } });
    expect(comment.code, comment.stderr).toBe(0);
    expect(comment.stdout.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(rows(comment.stdout, '| `-` | delete |')).toHaveLength(5);
    expect(rows(comment.stdout, '| `!` | blocked delete | `held` |')).toHaveLength(1);
    expect(comment.stdout.split('\n')[3]).toBe('> **Warning:** this plan deletes 5 sinks; 1 blocked action will not run.');
    expect(comment.stdout).toMatch(/> \*\*Note:\*\* this plan was truncated to 65000 characters, to fit GitHub's limit: \d+ action details \(\d+ characters\) left out/);
    expect(comment.stdout).toContain(`see the job summary and artifacts of [the workflow run](${RUN})`);
    expect(comment.stdout).toMatch(new RegExp(` · computed at 0123456 · \\[run\\]\\(${RUN}\\)</sub>\\n$`));

    const summary = await runCli(['plan', '--format', 'markdown', '--sink-limit', '1000', '--max-chars', '1000000'], { cwd, env: { ...env, ...ACTIONS } });
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout.length).toBeGreaterThan(MARKDOWN_LIMIT);
    expect(summary.stdout).not.toContain('> **Note:**');
    expect(rows(summary.stdout, '| `+` | create |')).toHaveLength(300);
    // One plan: the same hash leads both.
    expect(summary.stdout.split('\n')[0]).toBe(comment.stdout.split('\n')[0]);
  });

  it('leaves a hostile commit or run out of the footer', async () => {
    const { cwd, env } = await bigWorld();
    const r = await runCli(['plan', '--format', 'markdown', '--sink-limit', '1000'], {
      cwd,
      env: { ...env, GITHUB_SHA: 'abc1234 <img src=x onerror=alert(1)>', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/sinks', GITHUB_RUN_ID: '1)[x](https://evil.example' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('computed at');
    expect(r.stdout).not.toContain('[run]');
    expect(r.stdout).not.toContain('evil.example');
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).toMatch(/<sub>plan `sha256:[0-9a-f]{64}` · basis `sha256:[0-9a-f]{64}`<\/sub>\n$/);
  });

  it('--max-chars: a whole number from 10000 to 1048576, for Markdown only', async () => {
    const cwd = await writeRepo({ 'sinks/a.yaml': { name: 'a', description: 'A', sink_type: 'webhook', sink_configuration: hook('a') } });
    for (const [args, message] of [
      [['--format', 'markdown', '--max-chars', '9999'], "Error: --max-chars must be a whole number from 10000 to 1048576, not '9999'"],
      [['--format', 'markdown', '--max-chars', '1048577'], "Error: --max-chars must be a whole number from 10000 to 1048576, not '1048577'"],
      [['--format', 'markdown', '--max-chars', '65e3'], "Error: --max-chars must be a whole number from 10000 to 1048576, not '65e3'"],
      [['--format', 'markdown', '--max-chars=-1'], "Error: --max-chars must be a whole number from 10000 to 1048576, not '-1'"],
      [['--max-chars', '65000'], 'Error: --max-chars is for --format markdown (text and JSON are never shortened)'],
      [['--format', 'json', '--max-chars', '65000'], 'Error: --max-chars is for --format markdown (text and JSON are never shortened)'],
    ] as const) {
      const r = await runCli(['plan', ...args], { cwd, env: {} });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stdout).toBe('');
    }
    const { cwd: big, env } = await bigWorld();
    for (const limit of [10_000, 1_048_576]) {
      const r = await runCli(['plan', '--format', 'markdown', '--sink-limit', '1000', '--max-chars', String(limit)], { cwd: big, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBeLessThanOrEqual(limit);
      expect(rows(r.stdout, '| `-` | delete |')).toHaveLength(5);
    }
  });
});

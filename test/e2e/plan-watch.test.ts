/**
 * `plan --watch`: the first plan, a new plan after each save (without asking the API again), and
 * a clean exit 0 on Ctrl-C (SIGINT). A spawned process: the watch runs until a signal, and installs
 * process-wide SIGINT/SIGTERM handlers.
 *
 * Every step waits for output, never for a time: the first save only once the CLI printed
 * "Watching …" (it does so once its watcher is ready), and each later one once the plan of the
 * previous save is the last thing printed. A save is not atomic (the file is truncated, then
 * written), so the CLI may print what it read of the half-written file — even "Fix the errors
 * above" for an empty file — before the plan of the whole one. A wait for text anywhere in the
 * output, or for a count of plans, can therefore be satisfied by such an earlier print (under load,
 * the wait for the broken new.yaml's diagnostic once matched the empty orders.yaml's); the waits
 * look at the last thing printed instead.
 */
import { describe, expect, it, vi } from 'vitest';
import { managed, PROCESS_TEST_TIMEOUT_MS, sid, startCli, startE2eEmulator, writeFiles, writeRepo } from './helpers/index.js';

vi.setConfig({ testTimeout: PROCESS_TEST_TIMEOUT_MS, hookTimeout: PROCESS_TEST_TIMEOUT_MS });

const HOOK = { destination: 'https://example.org/orders', method: 'POST' };
const WATCHING = 'Watching sinks/ for changes (Ctrl-C to stop).';
const count = (text: string, part: string) => text.split(part).length - 1;
/** What was printed for the last change: everything after the last separator line. */
const lastPrinted = (out: string) => out.slice(out.lastIndexOf('─') + 1);
/** The last thing printed is a plan (it ends with the Watching line) that matches `part`. */
const lastPlanShows = (part: RegExp) => (out: string) => part.test(lastPrinted(out)) && lastPrinted(out).endsWith(`${WATCHING}\n`);
const FIX_ERRORS = 'Fix the errors above; the plan will follow.\n';
/** The last thing printed is a list of errors instead of a plan, and one matches `part`. */
const lastErrorsShow = (part: RegExp) => (out: string) => part.test(lastPrinted(out)) && lastPrinted(out).endsWith(FIX_ERRORS);

describe('plan --watch', () => {
  it('plans again on every save, from the remote state read once, and exits 0 on SIGINT', async () => {
    const emu = await startE2eEmulator({
      sinks: [{ sid: sid('DG', 1), description: managed('Orders', 'orders'), sink_type: 'webhook', sink_configuration: HOOK }],
      subscriptions: [],
    });
    const repo = await writeRepo({ 'sinks/orders.yaml': { name: 'orders', description: 'Orders', sink_type: 'webhook', sink_configuration: HOOK } });
    const cli = startCli(['plan', '--watch'], { cwd: repo, env: emu.env });

    await cli.waitForStdout((out) => count(out, WATCHING) === 1);
    expect(cli.stdout()).toContain('No changes. Twilio sinks match the repository.');
    const requestsAtStart = (await emu.requests()).length;
    expect(requestsAtStart).toBe(2); // all sinks + in-use sinks, one page each

    // An edit: the description changes.
    let saved = Date.now();
    await writeFiles(repo, { 'sinks/orders.yaml': { name: 'orders', description: 'Orders, renamed', sink_type: 'webhook', sink_configuration: HOOK } });
    await cli.waitForStdout(lastPlanShows(/-> "Orders, renamed \[sinkops:orders\]"/));
    const afterEdit = Date.now() - saved;
    expect(count(cli.stdout(), WATCHING)).toBeGreaterThanOrEqual(2);
    const second = cli.stdout().split(WATCHING).at(-2)!;
    expect(second).toContain('~ description = "Orders [sinkops:orders]" -> "Orders, renamed [sinkops:orders]"');
    expect(second).toContain('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');

    // Two saves 20 ms apart (format-on-save): the last one wins, though chokidar reports only the first.
    // The 20 ms is the scenario, not a wait: the test waits for the plan of the last save below.
    const doc = (description: string) => ({ name: 'orders', description, sink_type: 'webhook', sink_configuration: HOOK });
    await writeFiles(repo, { 'sinks/orders.yaml': doc('First save') });
    await new Promise((r) => setTimeout(r, 20));
    await writeFiles(repo, { 'sinks/orders.yaml': doc('Formatted save') });
    await cli.waitForStdout(lastPlanShows(/-> "Formatted save \[sinkops:orders\]"\n/));
    await writeFiles(repo, { 'sinks/orders.yaml': doc('Orders, renamed') });
    await cli.waitForStdout(lastPlanShows(/-> "Orders, renamed \[sinkops:orders\]"\n/));

    // A new file, then a broken one: a create, then located errors instead of a plan.
    saved = Date.now();
    await writeFiles(repo, { 'sinks/new.yaml': { name: 'new', description: 'New', sink_type: 'webhook', sink_configuration: { destination: 'https://example.org/new' } } });
    await cli.waitForStdout(lastPlanShows(/\+ sink "new"/));
    await writeFiles(repo, { 'sinks/new.yaml': 'name: new\nsink_typ: webhook\n' });
    // The broken file's own errors (an empty new.yaml, half-written, has a different one).
    await cli.waitForStdout(lastErrorsShow(/^sinks\/new\.yaml:\d+:\d+: error: .*'sink_typ'/m));
    expect(cli.stdout()).toMatch(/Fix the errors above; the plan will follow\./);
    expect(cli.stdout()).toMatch(/sinks\/new\.yaml:\d+:\d+: error: /);

    expect(await emu.requests()).toHaveLength(requestsAtStart); // saves never reach the API

    const result = await cli.stop('SIGINT');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    console.info(`plan --watch: save → plan printed in ${afterEdit} ms`);
  });
});

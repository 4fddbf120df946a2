/**
 * `plan --watch`: the first plan, a new plan after each save (without asking the API again), and
 * a clean exit 0 on Ctrl-C (SIGINT).
 */
import { describe, expect, it } from 'vitest';
import { managed, sid, startCli, startE2eEmulator, writeFiles, writeRepo } from './helpers/index.js';

const HOOK = { destination: 'https://example.org/orders', method: 'POST' };
const WATCHING = 'Watching sinks/ for changes (Ctrl-C to stop).';
const count = (text: string, part: string) => text.split(part).length - 1;

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
    await cli.waitForStdout((out) => count(out, WATCHING) === 2);
    const afterEdit = Date.now() - saved;
    const second = cli.stdout().split(WATCHING)[1]!;
    expect(second).toContain('~ description = "Orders [sinkops:orders]" -> "Orders, renamed [sinkops:orders]"');
    expect(second).toContain('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');

    // Two saves 20 ms apart (format-on-save): the last one wins, though chokidar reports only the first.
    const doc = (description: string) => ({ name: 'orders', description, sink_type: 'webhook', sink_configuration: HOOK });
    await writeFiles(repo, { 'sinks/orders.yaml': doc('First save') });
    await new Promise((r) => setTimeout(r, 20));
    await writeFiles(repo, { 'sinks/orders.yaml': doc('Formatted save') });
    await cli.waitForStdout(/-> "Formatted save \[sinkops:orders\]"\n[^]*Watching sinks\/ for changes \(Ctrl-C to stop\)\.\n$/);
    await writeFiles(repo, { 'sinks/orders.yaml': doc('Orders, renamed') });
    await cli.waitForStdout((out) => /-> "Orders, renamed \[sinkops:orders\]"\n[^─]*Watching[^─]*$/.test(out));

    // A new file, then a broken one: a create, then located errors instead of a plan.
    saved = Date.now();
    await writeFiles(repo, { 'sinks/new.yaml': { name: 'new', description: 'New', sink_type: 'webhook', sink_configuration: { destination: 'https://example.org/new' } } });
    await cli.waitForStdout((out) => /\+ sink "new"[^─]*Watching[^─]*$/.test(out));
    await writeFiles(repo, { 'sinks/new.yaml': 'name: new\nsink_typ: webhook\n' });
    await cli.waitForStdout(/Fix the errors above; the plan will follow\./);
    expect(cli.stdout()).toMatch(/sinks\/new\.yaml:\d+:\d+: error: /);

    expect(await emu.requests()).toHaveLength(requestsAtStart); // saves never reach the API

    const result = await cli.stop('SIGINT');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    console.info(`plan --watch: save → plan printed in ${afterEdit} ms`);
  });
});

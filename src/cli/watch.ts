import { resolve } from 'node:path';
import { watch } from 'chokidar';
import { loadDesired } from '../desired/load.js';
import { formatDiagnostic, hasErrors } from '../desired/model.js';
import type { PlanOptions } from '../plan/model.js';
import { plan } from '../plan/plan.js';
import type { RemoteState } from '../remote/model.js';
import { renderPlan } from '../render/index.js';
import type { SinksApi } from '../twilio/api.js';
import type { Io } from './io.js';

export interface WatchOptions {
  readonly dir: string;
  readonly io: Io;
  readonly api: SinksApi;
  /** Read once at start: a save re-plans against it without a request (restart to refresh). */
  readonly remote: RemoteState;
  readonly options: PlanOptions;
  readonly format: 'text' | 'markdown' | 'json';
  readonly render: { readonly color: boolean; readonly verbose: boolean };
  /** Stops watching; the process's SIGINT/SIGTERM do the same. */
  readonly signal?: AbortSignal;
}

const SEPARATOR = '─'.repeat(72);

/**
 * `plan --watch`: prints a plan now and again after every change under the folder. Saves that land
 * within a few milliseconds of each other (editors write temp files and rename) give one plan.
 */
export async function watchPlans(w: WatchOptions): Promise<number> {
  const root = resolve(w.io.cwd, w.dir);
  const printPlan = async (): Promise<void> => {
    const desired = await loadDesired(root, { cwd: w.io.cwd, env: w.io.env });
    const stamp = new Date().toISOString().slice(11, 19);
    w.io.stdout.write(`${SEPARATOR}\n[${stamp}] ${desired.files.length} files\n`);
    for (const d of desired.diagnostics) w.io.stdout.write(`${formatDiagnostic(d)}\n`);
    if (hasErrors(desired.diagnostics)) {
      w.io.stdout.write('Fix the errors above; the plan will follow.\n');
      return;
    }
    // Blocked deletes keep the subscriptions learned at start; new ones show "in use by a subscription".
    w.io.stdout.write(renderPlan(plan(desired.sinks, w.remote, w.options), w.format, w.render));
    w.io.stdout.write(`Watching ${w.dir}/ for changes (Ctrl-C to stop).\n`);
  };

  await printPlan();
  const watcher = watch(root, { ignoreInitial: true, persistent: true });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(printPlan).catch((e: unknown) => {
        w.io.stderr.write(`watch: ${e instanceof Error ? e.message : String(e)}\n`);
      });
    }, 15);
  };
  watcher.on('all', (_event, path) => {
    if (/\.ya?ml$/i.test(path)) schedule();
  });

  await new Promise<void>((done) => {
    const stop = (): void => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    w.signal?.addEventListener('abort', stop, { once: true });
  });
  clearTimeout(timer);
  await running;
  await watcher.close();
  return 0;
}

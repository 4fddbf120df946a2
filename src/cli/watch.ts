import { resolve } from 'node:path';
import { watch } from 'chokidar';
import { loadDesired } from '../desired/load.js';
import { formatDiagnostic, hasErrors } from '../desired/model.js';
import { isSinkopsError } from '../errors.js';
import type { PlanOptions } from '../plan/model.js';
import { plan } from '../plan/plan.js';
import { assertSafe } from '../plan/safety.js';
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
    const next = plan(desired.sinks, w.remote, w.options);
    w.io.stdout.write(renderPlan(next, w.format, w.render));
    try {
      assertSafe(next, { maxDeletes: Number.POSITIVE_INFINITY, allowEmpty: w.options.allowEmpty });
    } catch (e) {
      if (!isSinkopsError(e)) throw e;
      w.io.stdout.write([`Error: ${e.message}`, ...e.details.map((d) => `  ${d}`)].join('\n') + '\n');
    }
    w.io.stdout.write(`Watching ${w.dir}/ for changes (Ctrl-C to stop).\n`);
  };

  // Ctrl-C is ours from the start, so it always ends the watch with exit 0 (not node's default kill).
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((done) => (stop = done));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  w.signal?.addEventListener('abort', stop, { once: true });

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const enqueue = (): void => {
    running = running.then(printPlan).catch((e: unknown) => {
      w.io.stderr.write(`watch: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  };
  // `atomic: false`: chokidar's atomic-save emulation (on by default) was seen to swallow a change
  // made within ~30 ms of a file's creation. Every event here just schedules a re-plan, and the
  // debounce folds an editor's unlink+add into one, so nothing is lost by turning it off.
  const watcher = watch(root, { ignoreInitial: true, persistent: true, atomic: false });
  watcher.on('all', (_event, path) => {
    if (!/\.ya?ml$/i.test(path)) return;
    clearTimeout(timer);
    timer = setTimeout(enqueue, 15);
  });
  // The first plan comes once the watcher is ready: a save after "Watching …" is never missed.
  await Promise.race([new Promise<void>((ready) => watcher.once('ready', () => ready())), stopped]);
  enqueue();

  await stopped;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  clearTimeout(timer);
  await running;
  await watcher.close();
  return 0;
}

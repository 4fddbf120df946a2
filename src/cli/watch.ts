import { resolve } from 'node:path';
import { watch } from 'chokidar';
import { loadDesired, type ParseCache } from '../desired/load.js';
import { formatDiagnostic, hasErrors } from '../desired/model.js';
import { isSinkopsError } from '../errors.js';
import type { Io } from '../io.js';
import type { PlanOptions } from '../plan/model.js';
import { plan } from '../plan/plan.js';
import { assertSafe } from '../plan/safety.js';
import type { RemoteState } from '../remote/model.js';
import { terminalSafe } from '../terminal-safe.js';
import { renderPlan, type RenderFormat } from '../render/index.js';

export interface WatchOptions {
  readonly dir: string;
  readonly io: Io;
  /** Read once at start: a save re-plans against it without a request (restart to refresh). */
  readonly remote: RemoteState;
  readonly options: PlanOptions;
  /** `--allow-empty`: a plan that prunes every managed sink is shown without the refusal. */
  readonly allowEmpty: boolean;
  readonly format: RenderFormat;
  readonly render: { readonly color: boolean; readonly verbose: boolean };
  /** Stops watching; the process's SIGINT/SIGTERM do the same. */
  readonly signal?: AbortSignal;
}

const SEPARATOR = '─'.repeat(72);
/** Saves closer together than this give one plan (editors write a temp file, then rename it). */
const DEBOUNCE_MS = 15;
/**
 * chokidar drops a file's `change` events for 50 ms after one it reported (leading-edge
 * throttle, not configurable), so a second save within that window (format-on-save) is never
 * reported. This long after the last event, the plan is computed again and printed if it differs.
 */
const RECHECK_MS = 75;

/**
 * `plan --watch`: prints a plan now and again after every change under the folder, against the
 * remote state read at start.
 */
export async function watchPlans(w: WatchOptions): Promise<number> {
  const root = resolve(w.io.cwd, w.dir);
  let lastShown: string | undefined;
  // A save re-parses only the files whose text changed.
  const cache: ParseCache = new Map();

  /** Everything printed for the folder as it is now, but the time stamp. */
  const describe = async (): Promise<string> => {
    const desired = await loadDesired(root, { cwd: w.io.cwd, env: w.io.env, cache });
    const lines = [`${desired.files.length} files\n`, ...desired.diagnostics.map((d) => `${formatDiagnostic(d)}\n`)];
    if (hasErrors(desired.diagnostics)) return [...lines, 'Fix the errors above; the plan will follow.\n'].join('');
    // Blocked deletes keep the subscriptions learned at start; new ones show "in use by a subscription".
    const next = plan(desired.sinks, w.remote, w.options);
    lines.push(renderPlan(next, w.format, w.render));
    try {
      assertSafe(next, { maxDeletes: Number.POSITIVE_INFINITY, allowEmpty: w.allowEmpty });
    } catch (e) {
      if (!isSinkopsError(e)) throw e;
      lines.push([`Error: ${terminalSafe(e.message)}`, ...e.details.map((d) => `  ${terminalSafe(d)}`)].join('\n') + '\n');
    }
    lines.push(`Watching ${w.dir}/ for changes (Ctrl-C to stop).\n`);
    return lines.join('');
  };
  const printPlan = async (onlyIfChanged: boolean): Promise<void> => {
    const text = await describe();
    if (onlyIfChanged && text === lastShown) return;
    lastShown = text;
    w.io.stdout.write(`${SEPARATOR}\n[${new Date().toISOString().slice(11, 19)}] ${text}`);
  };

  // Ctrl-C is ours from the start, so it always ends the watch with exit 0 (not node's default kill).
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((done) => (stop = done));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  w.signal?.addEventListener('abort', stop, { once: true });

  let timer: NodeJS.Timeout | undefined;
  let recheck: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const enqueue = (onlyIfChanged: boolean): void => {
    running = running
      .then(() => printPlan(onlyIfChanged))
      .catch((e: unknown) => {
        w.io.stderr.write(`watch: ${terminalSafe(e instanceof Error ? e.message : String(e))}\n`);
      });
  };
  // `atomic: false`: chokidar's atomic-save emulation delays unlink events and was seen to lose
  // more changes; every event here only schedules a re-plan, so it buys nothing.
  const watcher = watch(root, { ignoreInitial: true, persistent: true, atomic: false });
  watcher.on('all', (_event, path) => {
    if (!/\.ya?ml$/i.test(path)) return;
    clearTimeout(timer);
    clearTimeout(recheck);
    timer = setTimeout(() => enqueue(false), DEBOUNCE_MS);
    recheck = setTimeout(() => enqueue(true), RECHECK_MS);
  });
  // The first plan comes once the watcher is ready: a save after "Watching …" is never missed.
  await Promise.race([new Promise<void>((ready) => watcher.once('ready', () => ready())), stopped]);
  enqueue(false);

  await stopped;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  clearTimeout(timer);
  clearTimeout(recheck);
  await running;
  await watcher.close();
  return 0;
}

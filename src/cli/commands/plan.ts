import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PlanOptions } from '../../plan/model.js';
import { assertSafe, hasChanges } from '../../plan/safety.js';
import { renderPlan, RENDER_FORMATS } from '../../render/index.js';
import { choiceOption, EXIT, flag, stackOption, stringOption, type Command, type CommandContext } from '../command.js';
import { computePlan, loadDesiredOrFail } from '../compute-plan.js';
import { connect } from '../connect.js';
import { useColor } from '../io.js';
import { watchPlans } from '../watch.js';


export function planOptionsFrom(values: CommandContext['values'], mode: PlanOptions['mode']): PlanOptions {
  const stack = stackOption(values);
  return {
    ...(stack !== undefined ? { stack } : {}),
    prune: !flag(values, 'no-prune'),
    allowEmpty: flag(values, 'allow-empty'),
    mode,
  };
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'Compare the repository with the account and show what apply would change',
  usage:
    'plan [--dir sinks] [--format text|markdown|json] [--out plan.json] [--detailed-exitcode] [--no-prune] [--allow-empty] [--stack S] [--local] [--watch]',
  help: {
    '--dir DIR': 'folder of sink YAML files (default sinks)',
    '--format F': 'text (default), markdown (pull-request comment) or json',
    '--out FILE': 'also save the plan as JSON, for `sinkops apply FILE`',
    '--detailed-exitcode': 'exit 2 when there are changes (0: none, 1: error)',
    '--no-prune': 'keep managed sinks that are no longer in the repository',
    '--allow-empty': 'permit a plan that deletes every managed sink',
    '--stack S': 'manage only sinks marked [sinkops:S/<name>]',
    '--local': 'use the embedded local account (.sinkops/local-account.json), no credentials needed',
    '--watch': 'plan again whenever a sink file changes (remote state read once)',
    '--verbose': 'list unchanged sinks too',
  },
  options: {
    dir: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    'no-prune': { type: 'boolean' },
    'allow-empty': { type: 'boolean' },
    stack: { type: 'string' },
    local: { type: 'boolean' },
    watch: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  async run({ values, io, logger }) {
    const dir = stringOption(values, 'dir', 'sinks');
    const format = choiceOption(values, 'format', RENDER_FORMATS);
    const options = planOptionsFrom(values, 'plan');
    const render = { color: useColor(io), verbose: flag(values, 'verbose') };
    const desired = await loadDesiredOrFail(dir, io);
    const connection = await connect(io, {
      local: flag(values, 'local'),
      logger,
      seedFrom: desired.sinks,
      ...(options.stack !== undefined ? { stack: options.stack } : {}),
    });
    try {
      const { plan, remote } = await computePlan(desired, connection.api, options);
      logger.info({ target: connection.target, remoteSinks: remote.sinks.length }, 'plan computed');
      if (flag(values, 'watch')) {
        return await watchPlans({ dir, io, remote, options, format, render });
      }
      io.stdout.write(renderPlan(plan, format, render));
      // SPEC §4: pruning every managed sink is refused unless --allow-empty, in plan as in apply, so a
      // mistyped --dir fails in review. Shown first, refused after; no plan file is saved.
      // --max-deletes is apply's limit alone (plan has no such flag).
      assertSafe(plan, { maxDeletes: Number.POSITIVE_INFINITY, allowEmpty: options.allowEmpty });
      const out = stringOption(values, 'out');
      if (out !== undefined) {
        await writeFile(resolve(io.cwd, out), renderPlan(plan, 'json', { color: false, verbose: true }), 'utf8');
        // On stdout only beside the text plan: Markdown and JSON output are documents (a comment, a file).
        const note = `Saved the plan to ${out}. Apply exactly this plan with: sinkops apply ${out}\n`;
        if (format === 'text') io.stdout.write(`\n${note}`);
        else io.stderr.write(note);
      }
      if (plan.errors.length > 0) return EXIT.ERROR;
      return flag(values, 'detailed-exitcode') && hasChanges(plan) ? EXIT.CHANGES : EXIT.OK;
    } finally {
      await connection.close();
    }
  },
};

/**
 * `plan --annotations`: each plan error also as a GitHub workflow command on stderr, at the file,
 * line and column it comes from; stdout is the same plan as without the flag.
 */
import { describe, expect, it } from 'vitest';
import { planErrorsAsWorkflowCommands } from '../../src/github/annotations.js';
import { E2E_TEST_TIMEOUT_MS, runCli, writeRepo } from '../e2e/helpers/index.js';

const SINK = `name: orders
description: Orders
sink_type: webhook
sink_configuration:
  destination: https://example.org/hook
subscriptions:
  - name: status
    description: Status
    events:
      com.twilio.messaging.message.delivred: 1
`;

describe('plan --annotations', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('prints an unknown event type as one ::error at its file, line and column; stdout unchanged', async () => {
    const files = { 'sinks/orders.yaml': SINK };
    const [plain, annotated] = await Promise.all([
      runCli(['plan', '--local'], { cwd: await writeRepo(files) }),
      runCli(['plan', '--local', '--annotations'], { cwd: await writeRepo(files) }),
    ]);
    expect(annotated.code).toBe(1);
    expect(plain.code).toBe(1);
    expect(annotated.stdout).toBe(plain.stdout);
    const commands = annotated.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^::error file=sinks\/orders\.yaml,line=10,col=7::.*com\.twilio\.messaging\.message\.delivred/);
    expect(plain.stderr).not.toContain('::error');
  });

  it('annotates at most 10 errors and summarises the rest', () => {
    const errors = Array.from({ length: 12 }, (_, i) => ({ message: `bad ${i}`, source: { file: 'sinks/a.yaml', line: i + 1, column: 3 } }));
    const lines = planErrorsAsWorkflowCommands(errors);
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(lines[0]).toBe('::error file=sinks/a.yaml,line=1,col=3::bad 0');
    expect(lines[10]).toBe('sinks/a.yaml:11:3: error: bad 10');
    expect(lines.at(-1)).toMatch(/^2 more errors not shown as annotations/);
  });
});

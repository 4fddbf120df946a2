/**
 * Shared helpers for end-to-end tests: they run the CLI against an emulator on 127.0.0.1, in a temp
 * repository. `runCli` runs it in this process (`run(argv, io)` from src/cli/main.ts, the function
 * bin/sinkops.js calls), which is what almost every test needs; `runCliProcess` and `startCli`
 * spawn the BUILT CLI (`node bin/sinkops.js`, after `npm run build`) for the few tests about the
 * process itself: the entry point, signals, SIGKILL.
 *
 *   const emu = await startE2eEmulator({ sinks: [...], subscriptions: [...] });
 *   const repo = await writeRepo({ 'sinks/a.yaml': { name: 'a', description: 'A', sink_type: 'webhook', sink_configuration: {...} } });
 *   const r = await runCli(['plan', '--format', 'json'], { cwd: repo, env: emu.env });
 *   expect(r.code).toBe(0);
 *   expect(await emu.requests()).toHaveLength(2);
 *
 * Everything opened (emulators, temp dirs, processes) is released after the file's last test.
 */
export { onCleanup } from './cleanup.js';
export {
  assertBuilt,
  CLI,
  cliEnv,
  E2E_TEST_TIMEOUT_MS,
  PROCESS_TEST_TIMEOUT_MS,
  REPO_ROOT,
  runCli,
  runCliProcess,
  startCli,
  type CliOptions,
  type CliProcess,
  type CliResult,
} from './cli.js';
export { E2E_ACCOUNT_SID, E2E_AUTH_TOKEN, managed, sid, startE2eEmulator, type E2eEmulator } from './emulator.js';
export { copyIntoRepo, sinkYaml, tempDir, writeFiles, writeRepo, type SinkDoc } from './repo.js';
export { expectNoSecrets } from './secrets.js';

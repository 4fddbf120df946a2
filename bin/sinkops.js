#!/usr/bin/env node
// The `sinkops` command. It runs the CLI bundle, dist/cli-bundle/ (built from src/cli/main.ts by
// `npm run build`, see scripts/bundle.mjs): a few CommonJS chunks load faster than the hundreds of
// modules tsc writes to dist/ (SPEC §10 "Start-up"). This file is CommonJS too (bin/package.json),
// for the same reason. Tests run the same run() in-process from src/.
'use strict';

// Node 22.1 and later keep compiled code between runs (in the system's temporary folder), which
// saves most of what a short command spends compiling; Node 20 has no such cache, and skips this.
require('node:module').enableCompileCache?.();

require('../dist/cli-bundle/main.cjs').main();

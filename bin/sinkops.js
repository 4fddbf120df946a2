#!/usr/bin/env node
// Thin entry point: everything lives in dist/cli/main.js so that tests can call run() in-process.
import { main } from '../dist/cli/main.js';

main();

#!/usr/bin/env node
'use strict';
/**
 * `npx ledger …`: builds first when the compiled code is missing or stale (build output goes to
 * stderr), then runs the CLI compiled from apps/cli/src/main.ts.
 */
const { join } = require('node:path');

require('./build-if-needed').buildIfNeeded();
require(join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js'));

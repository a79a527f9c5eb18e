'use strict';
/**
 * tsconfig-paths/register reads `--project` from the process's own arguments as the tsconfig to
 * load, which breaks a CLI that has a `--project` option of its own; registering the aliases
 * explicitly skips that lookup.
 */
const { join } = require('node:path');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.json');

register({ baseUrl: join(__dirname, '..', '..'), paths: compilerOptions.paths });

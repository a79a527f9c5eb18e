'use strict';
/**
 * Regenerates libs/client's copy of the API: libs/client/openapi.json (the document the ledger
 * serves) and libs/client/src/generated/ledger-api.ts (openapi-typescript's types of it).
 *   npm run client:types
 * test/openapi-client.e2e.spec.ts fails when either is out of date.
 */
const { execFileSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const CLIENT = join(ROOT, 'libs', 'client');

async function main() {
  require('ts-node').register({ transpileOnly: true, project: join(ROOT, 'tsconfig.json') });
  require('../test/support/register-paths');
  const { servedOpenApiDocument } = require('../apps/api/src/served-openapi');
  const document = await servedOpenApiDocument();
  writeFileSync(join(CLIENT, 'openapi.json'), JSON.stringify(document, null, 2) + '\n');
  // The generator is ESM-only underneath (change-case, supports-color): run its CLI.
  execFileSync(
    process.execPath,
    [
      join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js'),
      join(CLIENT, 'openapi.json'),
      '-o',
      join(CLIENT, 'src', 'generated', 'ledger-api.ts'),
    ],
    {
      stdio: 'inherit',
    },
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);

/**
 * Which way imports may point (docs/architecture.md, "Layers"): the domain is pure, libraries never reach into
 * apps. Checked by test/architecture.int.spec.ts on every `npm test`.
 */

/*
 * The folders of apps/api, bottom to top (docs/architecture.md, "Layers"). A folder imports only from its own layer
 * or the ones below; the root files (app.module, app.factory, main, the assembled OpenAPI document) import them all.
 */
const API = '(^|/)apps/api/src/';
const FOUNDATIONS = 'credentials|http|store|metrics|openapi';
const BELOW_AUTH = `${FOUNDATIONS}|verification`;
const BELOW_FEATURES = `${BELOW_AUTH}|auth`;

module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '(^|/)libs/' },
      to: { path: '(^|/)apps/' },
    },
    {
      name: 'apps-never-import-other-apps',
      comment: 'The CLI and the worker share code with the API through libs/ (e.g. @ledger/tokens), never by reaching into apps/api.',
      severity: 'error',
      from: { path: '(^|/)apps/([^/]+)/' },
      to: { path: '(^|/)apps/([^/]+)/', pathNot: '(^|/)apps/$2/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'The decider has no framework, no database, no network and no file system.',
      severity: 'error',
      from: { path: '(^|/)libs/token-domain/' },
      to: {
        path: ['node_modules/(@nestjs|better-sqlite3|fastify|pino|rxjs|class-validator)', '(^|/)libs/(?!token-domain/)'],
      },
    },
    {
      name: 'domain-does-no-io',
      severity: 'error',
      from: { path: '(^|/)libs/token-domain/' },
      to: { dependencyTypes: ['core'], path: '^(fs|net|http|https|child_process|dgram|worker_threads)$' },
    },
    {
      name: 'reminder-schedule-is-pure',
      comment: 'Which reminders are due, and the RecordReminderSent decider: no framework, queue, database or I/O.',
      severity: 'error',
      from: { path: '(^|/)libs/reminders/src/(reminder|reminder-token|reminder-schedule|reminder[.]decider)[.]ts$' },
      to: {
        path: [
          'node_modules/(@nestjs|better-sqlite3|bullmq|ioredis|standardwebhooks|fastify|pino|rxjs)',
          '(^|/)libs/(?!token-domain/|reminders/)',
          '^(fs|net|http|https|child_process|dgram|worker_threads)$',
        ],
      },
    },
    {
      name: 'client-is-publishable',
      comment: 'libs/client is published on its own: nothing of the ledger but its own files (the API types are generated into it).',
      severity: 'error',
      from: { path: '(^|/)libs/client/' },
      to: { path: ['(^|/)libs/(?!client/)', '(^|/)apps/', '(^|/)examples/'] },
    },
    {
      name: 'client-core-has-no-framework',
      comment: 'Only the nest/, express/ and fastify/ entries may need their framework; the verifier works anywhere.',
      severity: 'error',
      from: { path: '(^|/)libs/client/src/(?!nest/|express/|fastify/)[^/]+$', pathNot: '[.]spec[.]ts$' },
      to: { path: 'node_modules/(@nestjs|fastify|express)' },
    },
    {
      name: 'examples-use-the-client-only',
      comment: 'An example shows what a service outside this repository can do.',
      severity: 'error',
      from: { path: '(^|/)examples/' },
      to: { path: ['(^|/)apps/', '(^|/)libs/(?!client/)'] },
    },
    {
      name: 'console-is-an-api-client',
      comment: 'Issue 14: the console talks to the public JSON API only; it may share types, never server code.',
      severity: 'error',
      from: { path: '(^|/)apps/console/' },
      to: { path: '(^|/)(apps/(?!console/)|libs/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-never-imports-the-console',
      comment: 'The console is a front-end bundle (ESM, DOM): nothing jest or the server loads may import it.',
      severity: 'error',
      from: { path: '(^|/)(apps/(?!console/)|libs/)' },
      to: { path: '(^|/)apps/console/' },
    },
    {
      name: 'api-folders-not-circular',
      comment:
        'Issue 17: the folders of apps/api import each other one way (it was auth <-> verification and http <-> auth). ' +
        "dependency-cruiser's folder view joins a folder's files; a circle through a subfolder only (tokens -> " +
        'verification/rate-limit, verification/usage -> tokens) is caught by the layer rules below.',
      severity: 'error',
      scope: 'folder',
      from: { path: `${API}[^/]+` },
      to: { path: `${API}[^/]+`, circular: true },
    },
    {
      name: 'api-foundations-import-no-feature',
      comment: 'credentials, http, store, metrics and openapi are used by every feature: they import only each other.',
      severity: 'error',
      from: { path: `${API}(${FOUNDATIONS})/` },
      to: { path: API, pathNot: `${API}(${FOUNDATIONS})/` },
    },
    {
      name: 'verification-imports-no-auth-or-feature',
      comment: "The hot path sits under the admin API's guard (auth/caller.guard verifies through it): it never imports auth or a feature.",
      severity: 'error',
      from: { path: `${API}verification/` },
      to: { path: API, pathNot: `${API}(${BELOW_AUTH})/` },
    },
    {
      name: 'auth-imports-no-feature',
      comment: 'The guard and the scope decorator serve every feature: they import only verification and the foundations.',
      severity: 'error',
      from: { path: `${API}auth/` },
      to: { path: API, pathNot: `${API}(${BELOW_FEATURES})/` },
    },
    {
      name: 'api-folders-never-import-the-root',
      comment: 'app.module, app.factory and main import every folder: a folder importing them closes a circle.',
      severity: 'error',
      from: { path: `${API}[^/]+/`, pathNot: '[.]spec[.]ts$' },
      to: { path: `${API}[^/]+[.]ts$` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

/**
 * Which way imports may point (STYLE.md §1): the domain is pure, libraries never reach into
 * apps. Checked by test/architecture.int.spec.ts on every `npm test`.
 */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '(^|/)libs/' },
      to: { path: '(^|/)apps/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'The decider has no framework, no database, no network and no file system.',
      severity: 'error',
      from: { path: '(^|/)libs/token-domain/' },
      to: {
        path: [
          'node_modules/(@nestjs|better-sqlite3|fastify|pino|rxjs|class-validator)',
          '(^|/)libs/(?!token-domain/)',
        ],
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

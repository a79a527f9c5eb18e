import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The README and docs/ are read by people following links: every relative link must reach a
 * file, and every #anchor a heading of the page it names. Source comments that cite a page
 * (`docs/api.md, "Token format"`) must name a heading that exists, and none may cite a document
 * that is not in the repository.
 */
const ROOT = join(__dirname, '..');

/**
 * Pages the README links to that other branches are writing (the console, short-lived access
 * tokens, the CLI). Until they are merged each is reported on one PENDING line instead of failing;
 * once a page exists it is checked like any other. Empty this list after those merges.
 */
const PENDING_PAGES = new Set<string>([]);

const markdownFiles = (): string[] => [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks and inline code spans, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, text] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = text
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

const anchorsCache = new Map<string, Set<string>>();
const anchorsOfFile = (file: string) => {
  if (!anchorsCache.has(file)) anchorsCache.set(file, anchorsOf(readFileSync(file, 'utf8')));
  return anchorsCache.get(file)!;
};

interface Link {
  from: string;
  target: string;
}

function relativeLinks(file: string): Link[] {
  const text = prose(readFileSync(join(ROOT, file), 'utf8'));
  const targets = [
    ...[...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
  ];
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t)).map((target) => ({ from: file, target }));
}

/** Why the link does not resolve, or null when it does. */
function problem({ from, target }: Link): string | null {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? join(ROOT, from) : resolve(dirname(join(ROOT, from)), decodeURIComponent(path));
  if (!existsSync(file)) return `${target}: no such file`;
  if (anchor === undefined || anchor === '') return null;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return `${target}: an anchor into a file that is not a page`;
  return anchorsOfFile(file).has(decodeURIComponent(anchor)) ? null : `${target}: no heading with anchor #${anchor} in ${relative(ROOT, file)}`;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : sourceFiles(path);
    return /\.(ts|js|mjs|yml|yaml|conf)$/.test(entry.name) ? [path] : [];
  });

const citingFiles = () => [
  ...['apps', 'libs', 'test', 'scripts', 'bench', 'deploy', 'examples'].flatMap(sourceFiles),
  ...[
    'Dockerfile',
    '.dependency-cruiser.js',
    'jest.config.js',
    'stryker.config.js',
    'docker-compose.yml',
    'docker-compose.postgres.yml',
    'docker-compose.secure-esdb.yml',
    '.ci/run',
  ].filter((f) => existsSync(join(ROOT, f))),
];

describe('documentation links', () => {
  const pages = markdownFiles();

  it('finds the README and the docs pages', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/operations.md', 'docs/contributing.md']));
  });

  it.each(pages)('every relative link and anchor in %s resolves', (page) => {
    const broken: string[] = [];
    for (const link of relativeLinks(page)) {
      const path = relative(ROOT, resolve(dirname(join(ROOT, page)), link.target.split('#')[0] || page));
      if (PENDING_PAGES.has(path) && !existsSync(join(ROOT, path))) {
        process.stderr.write(`PENDING: ${page} links to ${path}, which another branch is writing; checked once it exists\n`);
        continue;
      }
      const why = problem(link);
      if (why) broken.push(why);
    }
    expect(broken).toEqual([]);
  });

  it('every pending page is still linked from the README (the list cannot go stale)', () => {
    const linked = relativeLinks('README.md').map((l) => l.target.split('#')[0]);
    expect([...PENDING_PAGES].filter((page) => !linked.includes(page))).toEqual([]);
  });

  it('every source comment citing a docs page names a heading that exists', () => {
    const broken: string[] = [];
    let citations = 0;
    for (const file of citingFiles()) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, page, quoted] of text.matchAll(/\b(docs\/[\w-]+\.md)(?:,\s*"([^"]+)")?/g)) {
        citations++;
        if (PENDING_PAGES.has(page) && !existsSync(join(ROOT, page))) continue;
        if (!existsSync(join(ROOT, page))) {
          broken.push(`${file}: ${page} does not exist`);
          continue;
        }
        // A heading quoted across a comment's line break reads as one line.
        const heading = quoted?.replace(/\s*\n\s*(?:\*|\/\/|#)?\s*/g, ' ');
        if (heading && !anchorsOfFile(join(ROOT, page)).has([...anchorsOf(`# ${heading}`)][0])) broken.push(`${file}: ${page} has no heading "${heading}"`);
      }
    }
    expect(broken).toEqual([]);
    expect(citations).toBeGreaterThan(10);
  });

  it('no source comment cites a document the repository does not hold', () => {
    const outside = citingFiles().filter((file) => /ARCHITECTURE\.md|STYLE\.md|README,? "/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(outside).toEqual([]);
  });

  it('computes anchors as GitHub does', () => {
    expect([
      ...anchorsOf('## Point in time (`asOf`)\n## EventStoreDB: version, credentials, failures\n## Writes answer 503 `not_caught_up`\n## Memory\n## Memory'),
    ]).toEqual(['point-in-time-asof', 'eventstoredb-version-credentials-failures', 'writes-answer-503-not_caught_up', 'memory', 'memory-1']);
  });
});

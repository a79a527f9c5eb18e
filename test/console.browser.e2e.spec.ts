import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { spawnServer, waitUntilReady, type ChildServer } from './support/child-server';
import { CHROMIUM, ensureConsoleBuilt, launchChromium } from './support/console-browser';
import { call } from './support/ledger-server';
import { skipLoudly } from './support/skip-loudly';

const ROOT_LINE = /Root token \(shown once\): (tlr_\S+)/;
// The committed screenshots (docs/console) are rewritten only on request (UPDATE_SCREENSHOTS=1), so
// that a test run leaves the working tree clean; otherwise they go to a temporary folder.
const UPDATE_SHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const SHOTS = UPDATE_SHOTS ? join(__dirname, '..', 'docs', 'console') : join(tmpdir(), `ledger-console-shots-${process.pid}`);
const PROJECT = 'console-demo';

// The page's own globals (navigator, localStorage, document) are evaluated as strings: this
// file is type-checked without the DOM library.

/**
 * Issue 14, "Tests that must exist": the console in a real browser (Debian's chromium through
 * playwright-core) against the API started as `npm start` starts it, walking the whole flow a
 * project admin and an auditor go through, then checking that no token value is left in
 * localStorage, cookies or URLs. The screenshots it takes are the ones docs/console.md shows;
 * the value shown once is masked in them.
 */
if (!existsSync(CHROMIUM)) {
  describe('the console in a browser', () =>
    skipLoudly('console browser test (test/console.browser.e2e.spec.ts)', `no chromium at ${CHROMIUM} (apt-get install chromium)`));
} else {
  describe('the console in a browser', () => {
    let server: ChildServer;
    let dataDir: string;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let root: string;
    const values: string[] = []; // every token value the session saw, to look for afterwards
    const urls: string[] = [];
    const cspViolations: string[] = [];
    const ids: { created?: string; rotated?: string } = {};

    const dialog = () => page.locator('dialog[open]');
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
    /**
     * Playwright's screenshot mask is drawn below a modal <dialog> (the top layer), so it cannot
     * hide the value shown once: the field's text is replaced before that screenshot instead, and
     * the test checks that no value is on the page when the picture is taken.
     */
    async function shotWithoutValues(name: string) {
      await page.evaluate(
        'for (const f of document.querySelectorAll(".secret-value")) { f.value = f.value.slice(0, 4) + "•".repeat(24) + " (masked)"; f.blur(); }',
      );
      const html = await page.content();
      const fields = await page.evaluate<string[]>('[...document.querySelectorAll("input")].map((input) => input.value)');
      expect(fields.some((field) => field.endsWith('(masked)'))).toBe(true);
      for (const value of values) expect([html.includes(value), fields.includes(value)]).toEqual([false, false]);
      await shot(name);
    }
    const row = (tokenId: string) => page.locator(`tr[data-token-id="${tokenId}"]`);
    /**
     * Polls a page expression until it is true. Not page.waitForFunction: its string predicates
     * are compiled in the page, which the console's CSP (no 'unsafe-eval') rightly refuses.
     */
    async function until(expression: string, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await page.evaluate<boolean>(expression))) {
        if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    async function signIn(token: string) {
      await page.getByLabel('Paste a ledger token to sign in').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    }

    /** The value-shown-once step: Escape must not close it; confirming does. Returns the value. */
    async function takeValueShownOnce(): Promise<string> {
      const field = dialog().locator('.secret-value');
      const value = await field.inputValue();
      expect(value).toMatch(/^tl[piu]_[0-9A-Za-z]{49}$/);
      values.push(value);
      await page.keyboard.press('Escape');
      await expect(dialog().isVisible()).resolves.toBe(true);
      await expect(dialog().getByRole('button', { name: 'Done' }).isDisabled()).resolves.toBe(true);
      await dialog().getByRole('button', { name: 'Copy' }).click();
      await dialog().getByText('Copied to the clipboard.').waitFor();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(value);
      return value;
    }

    async function confirmCopied() {
      await dialog().getByLabel('I have copied the token and stored it safely').check();
      await dialog().getByRole('button', { name: 'Done' }).click();
      await dialog().waitFor({ state: 'detached' });
    }

    beforeAll(async () => {
      ensureConsoleBuilt();
      mkdirSync(SHOTS, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'ledger-console-browser-'));
      server = spawnServer({ LEDGER_DATA_DIR: dataDir, USAGE_FLUSH_INTERVAL: '1s' });
      await waitUntilReady(server);
      root = ROOT_LINE.exec(server.stdout())?.[1] ?? '';
      values.push(root);
      browser = await launchChromium();
      context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', acceptDownloads: true });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      page = await context.newPage();
      page.on('request', (request) => urls.push(request.url()));
      page.on('console', (message) => /Content.Security.Policy|Refused to/i.test(message.text()) && cspViolations.push(message.text()));
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop('SIGKILL');
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (!UPDATE_SHOTS) rmSync(SHOTS, { recursive: true, force: true });
    });

    it('prints the console URL at start and serves a page with no inline script', async () => {
      expect(root).toMatch(/^tlr_/);
      expect(server.stdout()).toContain(`Token Ledger listening on ${server.url} — console ${server.url}/console/, API docs ${server.url}/docs`);
      const html = await (await fetch(`${server.url}/console/`)).text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js"><\/script>/);
      expect(html.match(/<script/g)).toHaveLength(1);
      expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    });

    it('signs in with the root token and creates a project token with scopes and an expiry, its value shown once and copied', async () => {
      await page.goto(`${server.url}/console`);
      await page.getByLabel('Paste a ledger token to sign in').waitFor();
      await shot('sign-in');
      await signIn(root);
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
      await page.getByLabel(/Open or start a project/).fill(PROJECT);
      await page.getByRole('button', { name: 'Open project' }).click();
      await page.getByRole('heading', { name: `Tokens of ${PROJECT}` }).waitFor();

      await page.getByRole('button', { name: 'New token' }).click();
      await dialog().getByLabel('Name').fill('billing sync');
      for (const scope of ['orders:read', 'orders:write']) {
        await dialog().getByLabel('Add a scope').fill(scope);
        await dialog().getByLabel('Add a scope').press('Enter');
      }
      await dialog().getByLabel('30 days').check();
      await dialog().getByLabel('Metadata (JSON object, optional)').fill('{"team":"billing"}');
      await shot('create-token');
      await dialog().getByRole('button', { name: 'Create token' }).click();
      await dialog().getByText('You won’t see it again').waitFor();
      ids.created = (await dialog().locator('p .mono').first().textContent()) ?? '';
      expect(ids.created).toMatch(/^tok_/);
      const value = await takeValueShownOnce();
      await shotWithoutValues('token-created');
      await confirmCopied();
      expect(await page.content()).not.toContain(value);

      const created = row(ids.created);
      await expect(created.textContent()).resolves.toMatch(/billing sync.*project.*orders:read orders:write.*active/);
      await expect(created.locator('time').first().getAttribute('title')).resolves.toMatch(/^\d{4}-\d\d-\d\dT/);
      // The copied value is the real token: it verifies, and these uses show on the detail page.
      for (let i = 0; i < 3; i++) expect((await call(server, 'POST', '/v1/tokens/verify', { body: { token: value } })).body.valid).toBe(true);
    });

    it('creates a tokens:read token for later, with no expiry, from the keyboard', async () => {
      // Keyboard: Enter opens the dialog with focus inside it, Escape leaves it (nothing shown once yet).
      const nameHasFocus = () => until('document.activeElement === document.querySelector("dialog[open] input[name=name]")');
      await page.getByRole('button', { name: 'New token' }).focus();
      await page.keyboard.press('Enter');
      await nameHasFocus();
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'New token' }).focus();
      await page.keyboard.press('Enter');
      await nameHasFocus();
      await page.keyboard.type('dashboard reader');
      await expect(dialog().getByLabel('Name').inputValue()).resolves.toBe('dashboard reader');
      await dialog().getByLabel('Add a scope').fill('tokens:read');
      await dialog().getByRole('button', { name: 'Add scope' }).click();
      await dialog().getByLabel('No expiry').check();
      await dialog().getByRole('button', { name: 'Create token' }).press('Enter');
      await takeValueShownOnce();
      await confirmCopied();
      await page.getByRole('link', { name: 'dashboard reader' }).waitFor();
      await shot('tokens');
    });

    it('rotates with a grace period: new value shown once, the old one’s new end shown', async () => {
      await row(ids.created!).getByRole('button', { name: 'Rotate billing sync' }).click();
      await dialog().getByLabel('Grace period for the old token').selectOption('1h');
      await dialog().getByRole('button', { name: 'Rotate', exact: true }).click();
      await dialog().getByText('You won’t see it again').waitFor();
      const oldEnd = Date.parse((await dialog().locator('.old-end').textContent()) ?? '');
      expect(oldEnd - Date.now()).toBeGreaterThan(55 * 60_000);
      expect(oldEnd - Date.now()).toBeLessThanOrEqual(60 * 60_000);
      ids.rotated = (await dialog().locator('p .mono').first().textContent()) ?? '';
      expect(ids.rotated).toMatch(/^tok_/);
      expect(ids.rotated).not.toBe(ids.created);
      await takeValueShownOnce();
      await confirmCopied();
      await row(ids.rotated).waitFor();
    });

    it('revokes after a confirmation naming the token, and the status changes', async () => {
      await expect(row(ids.created!).locator('.badge').last().textContent()).resolves.toBe('active');
      await row(ids.created!).getByRole('button', { name: 'Revoke billing sync' }).click();
      await expect(dialog().getByRole('heading').textContent()).resolves.toBe('Revoke “billing sync”?');
      await expect(dialog().textContent()).resolves.toContain(ids.created!);
      await dialog().getByLabel('Reason (kept in the audit log)').fill('replaced by rotation');
      await dialog().getByRole('button', { name: 'Revoke billing sync' }).click();
      await dialog().waitFor({ state: 'detached' });
      await row(ids.created!).locator('.status-revoked').waitFor();
      await expect(
        row(ids.created!)
          .getByRole('button', { name: /Revoke/ })
          .count(),
      ).resolves.toBe(0);
      expect((await call(server, 'GET', `/v1/projects/${PROJECT}/tokens/${ids.created}`, { token: root })).body.status).toBe('revoked');
    });

    it('filters by status and sorts by a column the API sorts', async () => {
      await page.getByLabel('Status').selectOption('revoked');
      await page.locator('table.tokens tbody tr').first().locator('.status-revoked').waitFor();
      await expect(page.locator('table.tokens tbody tr').count()).resolves.toBe(1);
      await page.getByLabel('Status').selectOption('all');
      await row(ids.rotated!).waitFor();
      await page.getByRole('button', { name: /^Name/ }).click();
      await page.locator('th[aria-sort="ascending"]', { hasText: 'Name' }).waitFor();
      await until('document.querySelector("table.tokens tbody tr th a")?.textContent === "billing sync"');
      await page.getByRole('button', { name: /^Name/ }).click();
      await until('document.querySelector("table.tokens tbody tr th a")?.textContent === "dashboard reader"');
    });

    it('shows the token’s history as a timeline with actor and request id, and its uses per day', async () => {
      await row(ids.created!).getByRole('link', { name: 'billing sync' }).click();
      await page.getByRole('heading', { name: /billing sync/ }).waitFor();
      const timeline = page.locator('ol.timeline');
      for (const type of ['TokenCreated', 'TokenUsed', 'TokenRotated', 'TokenRevoked']) await timeline.locator(`li.${type}`).first().waitFor();
      // Three verifications, coalesced into one TokenUsed per flush window (1 s here): one or more entries.
      const usedCounts = (await timeline.locator('li.TokenUsed').allTextContents()).map((text) => Number(/used (\d+) times?/.exec(text)?.[1]));
      expect(usedCounts.reduce((sum, n) => sum + n, 0)).toBe(3);
      await expect(timeline.locator('li.TokenRevoked').textContent()).resolves.toMatch(/replaced by rotation.*by token:tok_.*request \S+/);
      await expect(page.locator('.chart figcaption').textContent()).resolves.toMatch(/3 in all/);
      await shot('token-detail');
    });

    it('shows the audit events, a verified chain, exports, and the token active just before its revoke', async () => {
      await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Audit' }).click();
      await page.getByText(/Chain verified: \d+ events/).waitFor();
      await expect(page.locator('.chain-result dd').first().textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
      const events = page.locator('table.events');
      for (const type of ['TokenCreated', 'TokenRotated', 'TokenRevoked']) await events.locator(`tr.${type}`).first().waitFor();

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      const csv = readFileSync(await download.path(), 'utf8');
      expect(csv).toContain('TokenRevoked');
      for (const value of values) expect(csv).not.toContain(value);

      const slider = page.getByLabel(/Instant on the ledger’s time span/);
      expect(Number(await slider.getAttribute('min'))).toBeLessThan(Number(await slider.getAttribute('max')));
      const revoked = await call(server, 'GET', `/v1/audit/events?projectId=${PROJECT}&type=TokenRevoked`, { token: root });
      // asOf counts an event from when it took effect (the command's clock), not when it was stored.
      const [revoke] = revoked.body.items;
      const justBefore = new Date(Date.parse(revoke.metadata.occurredAt ?? revoke.recordedAt) - 1).toISOString();
      await page.getByLabel('Exact instant (ISO 8601, UTC)').fill(justBefore);
      await page.getByRole('button', { name: 'Show tokens at this instant' }).click();
      const then = page.locator(`table.as-of tr[data-token-id="${ids.created}"]`);
      await then.waitFor();
      await expect(then.locator('.then-status').textContent()).resolves.toBe('active');
      await expect(then.locator('.now-status').textContent()).resolves.toBe('revoked');
      await expect(then.getAttribute('class')).resolves.toBe('change-status-changed');
      await shot('audit');

      // The slider, by keyboard: Home is the project's first event, when only the first token existed.
      await slider.focus();
      await page.keyboard.press('Home');
      const start = new Date(Number(await slider.getAttribute('min'))).toISOString();
      await page.locator('table.as-of caption', { hasText: start.replace('.000Z', 'Z') }).waitFor();
      await expect(page.getByLabel('Exact instant (ISO 8601, UTC)').inputValue()).resolves.toBe(start);
      await expect(page.locator(`table.as-of tr[data-token-id="${ids.created}"] .then-status`).textContent()).resolves.toBe('active');
      await expect(page.locator(`table.as-of tr[data-token-id="${ids.rotated}"] .then-status`).textContent()).resolves.toBe('did not exist');
    });

    it('lists the reminders due on the expiring-soon page', async () => {
      await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Expiring soon' }).click();
      await page.getByRole('heading', { name: `Expiring soon in ${PROJECT}` }).waitFor();
      await page.getByRole('region', { name: 'Due reminders' }).locator('tbody tr').first().waitFor();
      await expect(page.getByRole('region', { name: 'Due reminders' }).textContent()).resolves.toContain(ids.rotated!);
      await shot('expiring');
    });

    it('is readable at phone width and in the dark theme', async () => {
      await page.goto(`${server.url}/console/#/projects`);
      await page.getByRole('link', { name: PROJECT }).first().waitFor();
      await shot('projects');
      await page.goto(`${server.url}/console/#/projects/${PROJECT}/tokens`);
      await page.setViewportSize({ width: 390, height: 844 });
      await row(ids.rotated!).waitFor();
      // Wide tables scroll inside their own box; the page itself never scrolls sideways.
      await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(390);
      await shot('tokens-phone');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: 'dark' });
      const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      expect(background).toBe('rgb(13, 17, 23)');
      await shot('tokens-dark');
      await page.emulateMedia({ colorScheme: 'light' });
    });

    it('leaves no token value in localStorage, cookies or URLs, and sign-out forgets it', async () => {
      const local = await page.evaluate<{ length: number; all: string }>('({ length: localStorage.length, all: JSON.stringify({ ...localStorage }) })');
      expect(local.length).toBe(0);
      const cookies = JSON.stringify(await context.cookies());
      const everyUrl = [...urls, page.url()].join('\n');
      for (const value of values) {
        expect(local.all).not.toContain(value);
        expect(cookies).not.toContain(value);
        expect(everyUrl).not.toContain(value);
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Paste a ledger token to sign in').waitFor();
      const session = await page.evaluate<string>('JSON.stringify({ ...sessionStorage })');
      for (const value of values) expect(session).not.toContain(value);
      expect(cspViolations).toEqual([]);
    });

    it('hides the write actions and the audit page from a tokens:read token', async () => {
      const reader = values[2];
      await signIn(reader);
      await page.goto(`${server.url}/console/#/projects/${PROJECT}/tokens`);
      await row(ids.rotated!).waitFor();
      await expect(page.getByRole('button', { name: 'New token' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: /^(Rotate|Revoke) / }).count()).resolves.toBe(0);
      await expect(page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Audit' }).count()).resolves.toBe(0);
      await page.goto(`${server.url}/console/#/projects/${PROJECT}/audit`);
      await page.getByText('This token lacks audit:read on this project.').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
    });
  });
}

/**
 * The site behind nginx (Debian's package) as docs/hosting.md configures it: users sign in (HTTP basic auth
 * here), each user is served their role's lake folder and nothing else, and nginx's access log records
 * every file asked for. nginx is started on 127.0.0.1 by the test, with the configuration the project
 * generates, over the site the end-to-end build made.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request as httpRequest, type Browser } from '@playwright/test';
import { nginxConfig } from '../scripts/site/nginx-config';
import { parseSite } from '../src/gov/site';
import type { Session } from '../src/gov/types';
import { REVIEW_NOTEBOOK_PATH } from '../src/notebook/notebook-url';
import { readLakeNotebook } from '../scripts/lake/check-notebooks';
import { servedPolicy } from './support/governance';
import { freePort } from './support/ports';
import { cell, expect, status, test, waitForEngine } from './support/notebook';

const siteDir = path.resolve(process.env.E2E_OUT_DIR ?? 'dist');
/** Debian's nginx (.ci/run installs it), or the one LAKEBOOK_NGINX names. */
const nginxBinary =
  process.env.LAKEBOOK_NGINX ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

/** nginx's salted SHA-1 scheme: base64(sha1(password || salt) || salt). */
function sshaLine(user: string, password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `${user}:{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

async function answers(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test.describe('a host that signs users in and serves each role its own folder', () => {
  let nginx: ChildProcess | undefined;
  let dir: string;
  let origin: string;
  const passwords = new Map<string, string>();
  let users: Session[];

  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lakebook-nginx-'));
    // nginx's workers run as an unprivileged user: they must be able to read the password file.
    chmodSync(dir, 0o755);
    const policy = servedPolicy();
    users = Object.entries(policy.demoUsers).map(([role, d]) => ({
      user: d.user,
      role,
      attributes: d.attributes,
    }));
    for (const u of users) passwords.set(u.user, randomBytes(12).toString('hex'));
    const htpasswd = path.join(dir, 'htpasswd');
    writeFileSync(htpasswd, users.map((u) => sshaLine(u.user, passwords.get(u.user)!)).join('\n') + '\n');
    chmodSync(htpasswd, 0o644);
    const site = parseSite(JSON.parse(readFileSync(path.join(siteDir, 'sample-lake', 'site.json'), 'utf8')));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      nginxConfig({ siteDir, site, users, htpasswd, listen: `127.0.0.1:${port}`, prefix: dir }),
    );
    nginx = spawn(nginxBinary, ['-c', conf, '-p', dir, '-g', 'daemon off;'], { stdio: 'inherit' });
    await answers(`${origin}/`, Date.now() + 10_000);
  });

  /** Opens the site as `user` (the password prompt answered) and checks who the page says signed in. */
  async function signIn(browser: Browser, user: string, role: string) {
    const credentials = { username: user, password: passwords.get(user)! };
    const context = await browser.newContext({ baseURL: `${origin}/`, httpCredentials: credentials });
    const page = await context.newPage();
    await page.goto('./');
    await waitForEngine(page);
    await expect(page.getByRole('status', { name: 'Signed in' })).toHaveText(`${user} as ${role}`);
    return { context, page };
  }

  test.afterAll(() => {
    nginx?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('an analyst signs in, runs the review, and gets nothing of another role or of the secret', async ({
    browser,
  }) => {
    test.setTimeout(240_000);
    const { context, page } = await signIn(browser, 'ana.lyst', 'DataAnalyst');
    await expect(page.getByRole('combobox', { name: 'Role', exact: true })).toHaveCount(0);

    // The review's headline cell reads the analyst's folder through every cell above it (the whole review
    // runs in review-notebook.spec.ts on the same folders).
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue(
      readLakeNotebook('public/sample-lake', REVIEW_NOTEBOOK_PATH).title,
    );
    await cell(page, 'before_after').getByRole('button', { name: 'Run cell' }).click();
    await expect(status(page, 'before_after')).toHaveAccessibleName('Cell before_after: Done', {
      timeout: 120_000,
    });
    await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);

    const clinician = parseSite(
      JSON.parse(readFileSync(path.join(siteDir, 'sample-lake', 'site.json'), 'utf8')),
    ).folders!.find((f) => f.role === 'Clinician')!.folder;
    const refused = {
      '/sample-lake/roles/admin/catalog.json': 403,
      '/sample-lake/roles/data-analyst/%2e%2e/admin/catalog.json': 403,
      [`/sample-lake/${clinician}policy.json`]: 403,
      '/sample-lake/roles/data-steward/pii/curated/evergreen_audit_events/part-000.parquet': 403,
      '/sample-lake/phi/curated/admissions/part-000.parquet': 404,
      '/sample-lake/catalog.json': 404,
      '/.lakebook/mask-secret': 404,
    };
    for (const [url, code] of Object.entries(refused))
      expect((await context.request.get(url)).status(), url).toBe(code);
    expect((await context.request.get('/sample-lake/roles/data-analyst/catalog.json')).status()).toBe(200);
    await context.close();

    const anonymous = await httpRequest.newContext({ baseURL: origin });
    expect((await anonymous.get('/sample-lake/roles/data-analyst/catalog.json')).status()).toBe(401);
    expect((await anonymous.get('/')).status()).toBe(401);
    await anonymous.dispose();

    const log = readFileSync(path.join(dir, 'access.log'), 'utf8');
    expect(log).toMatch(
      / ana\.lyst \[[^\]]+\] "GET \/sample-lake\/roles\/admin\/catalog\.json HTTP\/1\.1" 403 /,
    );
    expect(log).toMatch(/ ana\.lyst \[[^\]]+\] "GET \/\.lakebook\/mask-secret HTTP\/1\.1" 404 /);
    expect(log).toMatch(
      / ana\.lyst \[[^\]]+\] "GET \/sample-lake\/roles\/data-analyst\/catalog\.json HTTP\/1\.1" 200 /,
    );
  });

  test('a clinician is served the folder of their wards and sees who they are', async ({ browser }) => {
    const { context } = await signIn(browser, 'dr.rivera', 'Clinician');
    expect((await context.request.get('/sample-lake/roles/data-analyst/catalog.json')).status()).toBe(403);
    await context.close();
  });
});

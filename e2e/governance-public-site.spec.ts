/**
 * The public static build (`npm run build -- --tiers PUBLIC`): it ships no file of the PHI or PII tiers,
 * and the app opened from it starts as Public and offers only the roles whose tables it ships.
 */
import { expect, test } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifest } from '../src/lake/manifest';
import { nativeRows } from './support/governance';
import { freePort } from './support/ports';
import { cell, command, gridCell, runSql, waitForEngine } from './support/notebook';

const outDir = `${process.env.E2E_OUT_DIR ?? 'dist'}-public`;
let site = '';
let server: ChildProcess | undefined;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** Waits until this build answers: its own site.json, so that no other server is taken for it. */
async function waitForServer(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (server?.exitCode !== null) throw new Error('the preview server of the public site exited');
    // A full site writes a site.json too, with every tier: only this build's names the public tier alone.
    const up = await fetch(`${site}sample-lake/site.json`)
      .then(async (r) => r.ok && JSON.stringify((await r.json()).tiers) === '["PUBLIC"]')
      .catch(() => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the public site did not start on ${site}`);
}

test.describe('public static site', () => {
  test.describe.configure({ timeout: 300_000 });

  test.beforeAll(async () => {
    const build = spawnSync(
      'node',
      ['--import', 'tsx', 'scripts/site/build-site.ts', '--tiers', 'PUBLIC', '--outDir', outDir],
      { stdio: 'inherit' },
    );
    expect(build.status, 'the public build').toBe(0);
    const port = await freePort();
    site = `http://127.0.0.1:${port}/`;
    server = spawn(
      'npx',
      ['vite', 'preview', '--outDir', outDir, '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
      { stdio: 'ignore', detached: true },
    );
    await waitForServer();
  });

  test.afterAll(() => {
    // The preview runs under npx in its own process group; stop the whole group.
    if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  });

  test('ships no PHI or PII file, and its folders hold public tables only', () => {
    const lake = path.join(outDir, 'sample-lake');
    const files = filesUnder(lake);
    expect(files.filter((f) => /(^|\/)(phi|pii)\//.test(f))).toEqual([]);
    expect(files.some((f) => f.startsWith('roles/public/public/'))).toBe(true);
    const full = parseManifest(JSON.parse(readFileSync('public/sample-lake/catalog.json', 'utf8')));
    const siteJson = JSON.parse(readFileSync(path.join(lake, 'site.json'), 'utf8'));
    expect(siteJson).toEqual({
      tiers: ['PUBLIC'],
      folders: [
        { role: 'Public', folder: 'roles/public/' },
        { role: 'Auditor', folder: 'roles/auditor/' },
      ],
    });
    for (const { folder } of siteJson.folders as { folder: string }[]) {
      const shipped = parseManifest(
        JSON.parse(readFileSync(path.join(lake, folder, 'catalog.json'), 'utf8')),
      );
      const readable = shipped.tables.filter((t) => !t.withheld);
      expect(readable.map((t) => t.tier)).toEqual(readable.map(() => 'PUBLIC'));
      expect(shipped.tables.filter((t) => t.withheld).every((t) => t.files.length === 0)).toBe(true);
    }
    // No data file of a non-public table anywhere in the site, whatever folder it might be in.
    const hidden = full.tables.filter((t) => t.tier !== 'PUBLIC').flatMap((t) => t.files.map((f) => f.path));
    const everywhere = filesUnder(outDir);
    expect(everywhere.filter((f) => hidden.some((h) => f.endsWith(h)))).toEqual([]);
  });

  test('opens as Public, offers only roles whose tables it ships, and answers public queries', async ({
    page,
  }) => {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    // A visitor who chose DataAnalyst on a full site before still starts as Public here.
    await page.addInitScript(() => localStorage.setItem('lakebook.role', 'DataAnalyst'));
    await page.goto(site);
    await waitForEngine(page);
    const role = page.getByRole('combobox', { name: 'Role', exact: true });
    await expect(role).toHaveValue('Public');
    expect(await role.locator('option').allTextContents()).toEqual(['Public', 'Auditor']);
    await expect(page.getByRole('region', { name: 'Access' })).toContainText('visitor with role Public');

    await command(page, 'New notebook');
    await expect(cell(page, 'cell_1')).toBeVisible();
    const [[hospitals]] = await nativeRows('SELECT count(*) FROM {cms_hospitals}');
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM cms_hospitals');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(hospitals!);
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions', 'Denied');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(
      'Public may not read table admissions',
    );

    const own = new URL(site).origin;
    expect(
      requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith(own)),
    ).toEqual([]);
    expect(requests.filter((u) => /\/sample-lake\/(phi|pii)\//.test(u))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { verifyChain, sha256Hex, type AuditEntry } from '../src/gov/audit';
import { openAs, gridRows, switchRole } from './support/governance';
import {
  cell,
  expect,
  expectStatus,
  grid,
  openNotebook,
  runSql,
  setSql,
  test,
  waitForEngine,
} from './support/notebook';

test.describe('governance', () => {
  test('every decision, allowed or denied, is in the audit log after a reload; the Auditor queries, verifies and exports it', async ({
    page,
  }) => {
    await openAs(page, 'DataAnalyst');
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions');
    await runSql(page, 'cell_1', 'SELECT ssn FROM synthea_patients', 'Denied');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(
      'DataAnalyst may not read column synthea_patients.ssn',
    );

    await page.reload();
    await waitForEngine(page);
    await switchRole(page, 'Auditor');
    await expect(page.getByRole('button', { name: 'Verify audit log' })).toBeVisible();
    await runSql(
      page,
      'cell_1',
      `SELECT user, role, decision, statement, rows, objects[1] AS object FROM audit_log
       WHERE action = 'query' AND statement IN ('SELECT count(*) AS n FROM admissions', 'SELECT ssn FROM synthea_patients')
       ORDER BY seq`,
    );
    expect(await gridRows(page, 'cell_1')).toEqual([
      ['ana.lyst', 'DataAnalyst', 'allow', 'SELECT count(*) AS n FROM admissions', '1', 'admissions'],
      ['ana.lyst', 'DataAnalyst', 'deny', 'SELECT ssn FROM synthea_patients', 'NULL', 'synthea_patients.ssn'],
    ]);
    await runSql(
      page,
      'cell_1',
      "SELECT action, statement FROM audit_log WHERE action = 'role-change' ORDER BY seq DESC LIMIT 1",
    );
    expect(await gridRows(page, 'cell_1')).toEqual([
      ['role-change', 'session: ana.lyst as DataAnalyst -> audrey.auditor as Auditor'],
    ]);

    await page.getByRole('button', { name: 'Verify audit log' }).click();
    await expect(page.getByRole('status', { name: 'Audit log verification' })).toHaveText(
      /^Audit log verified: \d+ entries, the hash chain is intact\.$/,
    );

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export audit log (JSONL)' }).click();
    const file = await (await download).path();
    const entries = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    expect((await verifyChain(entries)).ok).toBe(true);
    const denied = entries.find((e) => e.decision === 'deny' && e.action === 'query');
    expect(denied).toMatchObject({ user: 'ana.lyst', role: 'DataAnalyst', rows: null });
    expect(denied?.statementHash).toBe(await sha256Hex('SELECT ssn FROM synthea_patients'));
    expect(denied?.durationMs).toBeGreaterThanOrEqual(0);
    // The Auditor's own queries are recorded as well.
    expect(entries.some((e) => e.role === 'Auditor' && e.statement.includes('FROM audit_log'))).toBe(true);

    // Tampering with the exported log is caught.
    const edited = entries.map((e, i) => (i === 1 ? { ...e, user: 'someone.else' } : e));
    expect((await verifyChain(edited)).ok).toBe(false);
  });

  test('switching role rebuilds the engine in place: the page stays, the notebook stays, results are redone', async ({
    page,
  }) => {
    await openAs(page, 'DataAnalyst');
    await runSql(page, 'cell_1', 'SELECT count(*) AS kept_across_roles FROM admissions');
    await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 42));
    const header = page.getByRole('banner');
    await expect(header).toContainText('ana.lyst as');

    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('Public');
    await waitForEngine(page);
    await expect(header).toContainText('visitor as');
    expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(42);
    await expect(cell(page, 'cell_1')).toContainText('kept_across_roles');
    // The analyst's result is gone; re-running it as Public is refused.
    await expect(page.getByRole('grid', { name: 'Result of cell_1' })).toHaveCount(0);
    await cell(page, 'cell_1').getByRole('button', { name: 'Run cell' }).click();
    await expectStatus(page, 'cell_1', 'Denied');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(
      'Public may not read table admissions',
    );
  });

  test('a result the old role was computing when the role switched is never shown or exported after it', async ({
    page,
  }) => {
    await openAs(page, 'Admin');
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM synthea_patients');
    await setSql(page, 'cell_1', 'SELECT ssn FROM synthea_patients ORDER BY ssn LIMIT 3');
    // The race as a user meets it: the answer computed for Admin is already on its way when the role
    // changes. The page is kept busy while the engine answers, so the switch is handled before the answer.
    await page.evaluate(async () => {
      const region = document.querySelector('[aria-label="Cell cell_1"]')!;
      region.querySelector<HTMLButtonElement>('button[aria-label="Run cell"]')!.click();
      for (let i = 0; i < 50; i++) await Promise.resolve();
      const until = Date.now() + 4_000;
      while (Date.now() < until) {
        // Busy: the engine's answer waits in the page's queue.
      }
      const role = [...document.querySelectorAll('select')].find(
        (s) => s.getAttribute('aria-label') === 'Role',
      )!;
      role.value = 'Public';
      role.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitForEngine(page);
    await expect(page.getByRole('banner')).toContainText('visitor as');
    await expect(grid(page, 'cell_1')).toHaveCount(0);
    await expect(cell(page, 'cell_1')).not.toContainText(/\d{3}-\d{2}-\d{4}/);
    await expect(cell(page, 'cell_1').getByRole('button', { name: /CSV/ })).toHaveCount(0);
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(
      'the role changed to Public while this cell ran',
    );
  });

  test('a DataSteward retags a column PHI from the catalog; from the next query Public no longer sees it', async ({
    page,
  }) => {
    await openAs(page, 'Public');
    await runSql(page, 'cell_1', 'SELECT count(address) AS n FROM cms_hospitals');
    await expect(page.getByRole('button', { name: /^Edit tags of / })).toHaveCount(0);

    await switchRole(page, 'DataSteward');
    const catalog = page.getByRole('navigation', { name: 'Lake catalog' });
    await catalog.getByRole('button', { name: 'Columns of cms_hospitals' }).click();
    await catalog.getByRole('button', { name: 'Edit tags of cms_hospitals.address' }).click();
    await catalog.getByRole('textbox', { name: 'Tags of cms_hospitals.address' }).fill('PHI, address');
    await catalog.getByRole('button', { name: 'Save tags of cms_hospitals.address' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'Tags of cms_hospitals.address set to PHI, address' }),
    ).toBeVisible();
    await expect(catalog.getByRole('listitem').filter({ hasText: /^address/ })).toContainText('PHI');

    await switchRole(page, 'Public');
    await runSql(page, 'cell_1', 'SELECT count(address) AS n FROM cms_hospitals', 'Denied');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(
      'Public may not read column cms_hospitals.address (PHI)',
    );
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM cms_hospitals');

    // The change survives a reload and is in the audit log.
    await page.reload();
    await waitForEngine(page);
    await switchRole(page, 'Admin');
    await runSql(
      page,
      'cell_1',
      "SELECT user, role, decision, statement FROM audit_log WHERE action = 'tag-change'",
    );
    expect(await gridRows(page, 'cell_1')).toEqual([
      ['sam.steward', 'DataSteward', 'allow', 'cms_hospitals.address: inherited -> PHI,address'],
    ]);
    await expect(page.getByRole('button', { name: 'Edit tags of cms_hospitals' })).toBeVisible();
  });

  test('a DataSteward cannot unmask their own view by retagging identifiers; the refusal is audited', async ({
    page,
  }) => {
    await openAs(page, 'DataSteward');
    await runSql(page, 'cell_1', 'SELECT ssn, first FROM synthea_patients ORDER BY id LIMIT 1');
    const [[ssn, first]] = await gridRows(page, 'cell_1');
    expect(ssn).toMatch(/^\*+\d{4}$/);

    const catalog = page.getByRole('navigation', { name: 'Lake catalog' });
    await catalog.getByRole('button', { name: 'Columns of synthea_patients' }).click();
    for (const column of ['ssn', 'first']) {
      await catalog.getByRole('button', { name: `Edit tags of synthea_patients.${column}` }).click();
      await catalog.getByRole('textbox', { name: `Tags of synthea_patients.${column}` }).fill('PII');
      await catalog.getByRole('button', { name: `Save tags of synthea_patients.${column}` }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'The tags were not changed' });
      await expect(refusal).toContainText(
        `synthea_patients.${column} would lose its partial mask). Another person with the changeTags permission must make or approve it.`,
      );
      // The editor keeps what was typed, so nothing is lost; it is closed by hand.
      await expect(catalog.getByRole('textbox', { name: `Tags of synthea_patients.${column}` })).toHaveValue(
        'PII',
      );
      await catalog
        .getByRole('button', { name: `Cancel editing tags of synthea_patients.${column}` })
        .click();
      await refusal.getByRole('button', { name: 'Dismiss message' }).click();
    }

    await runSql(page, 'cell_1', 'SELECT ssn, first FROM synthea_patients ORDER BY id LIMIT 1');
    expect(await gridRows(page, 'cell_1')).toEqual([[ssn, first]]);

    await switchRole(page, 'Admin');
    await runSql(
      page,
      'cell_1',
      "SELECT user, decision, statement FROM audit_log WHERE action = 'tag-change' ORDER BY seq",
    );
    expect(await gridRows(page, 'cell_1')).toEqual([
      ['sam.steward', 'deny', 'synthea_patients.ssn: PII,national_id -> PII'],
      ['sam.steward', 'deny', 'synthea_patients.first: PII,name -> PII'],
    ]);
  });

  test('roles without the permission see no tag editor and no audit tools', async ({ page }) => {
    await openAs(page, 'DataAnalyst');
    const catalog = page.getByRole('navigation', { name: 'Lake catalog' });
    await expect(catalog.getByRole('button', { name: 'Insert patients' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Edit tags of / })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Verify audit log' })).toHaveCount(0);
    await runSql(page, 'cell_1', 'SELECT count(*) FROM audit_log', 'Denied');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(
      'DataAnalyst may not read table audit_log (permission readAudit)',
    );
  });

  for (const [name, body] of [
    ['invalid', JSON.stringify({ format: 'lakebook-policy', version: 1, roles: {} })],
    ['unparseable', '{"format": "lakebook-policy", "roles": {'],
  ] as const) {
    test(`an ${name} policy stops the app with a clear message and nothing is queried`, async ({ page }) => {
      // The policy at the lake's root and in every role's folder.
      await page.route(/\/sample-lake\/(.*\/)?policy\.json$/, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body }),
      );
      await page.goto('./');
      const stop = page.getByRole('alert').filter({ hasText: 'Lakebook stopped' });
      await expect(stop).toBeVisible({ timeout: 60_000 });
      await expect(
        page.getByRole('heading', { name: 'Lakebook stopped: the access policy is not valid' }),
      ).toBeVisible();
      await expect(stop).toContainText(
        name === 'invalid' ? 'roles: role DataAnalyst is missing' : 'could not be read',
      );
      await expect(stop).toContainText('Fix policy.json');
      await expect(page.getByRole('button', { name: 'Run cell' })).toHaveCount(0);
      await expect(page.getByRole('navigation', { name: 'Lake catalog' })).toHaveCount(0);
    });
  }
});

test('the role chosen in the switcher comes back after a reload', async ({ page }) => {
  await openNotebook(page, 'Clinician');
  await switchRole(page, 'DataSteward');
  await page.reload();
  await waitForEngine(page);
  await expect(page.getByRole('combobox', { name: 'Role', exact: true })).toHaveValue('DataSteward');
});

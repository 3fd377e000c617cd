/** Helpers for the governance end-to-end tests: roles, the audit panel and the catalog's tag editor. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parsePolicy, type Policy } from '../../src/gov/policy-schema';
import { parquetOf } from './lake-facts';
import { command, expect, openNotebook, waitForEngine } from './notebook';

/** Opens the page under `role` on a fresh notebook whose only cell is `cell_1`. */
export async function openAs(page: Page, role: string): Promise<void> {
  await openNotebook(page, role);
  await command(page, 'New notebook');
  await expect(page.getByRole('region', { name: 'Cell cell_1' })).toBeVisible();
  await expect(roleSelect(page)).toHaveValue(role);
}

export function roleSelect(page: Page) {
  return page.getByRole('combobox', { name: 'Role', exact: true });
}

/** Picks a role in the header's switcher and waits until the engine serves it. */
export async function switchRole(page: Page, role: string): Promise<void> {
  await roleSelect(page).selectOption(role);
  await waitForEngine(page);
  await expect(page.getByRole('region', { name: 'Access' })).toContainText(`with role ${role}`);
}

/** Rows of a result grid as text, header excluded. */
export async function gridRows(page: Page, cellName: string): Promise<string[][]> {
  const grid = page.getByRole('grid', { name: `Result of ${cellName}` });
  await expect(grid).toBeVisible();
  return grid
    .locator('[role="row"]:not([aria-rowindex="1"])')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? '')),
    );
}

/** Every row of `sql` from native DuckDB over the lake's Parquet, as the grid prints it (`{table}` names a table). */
export async function nativeRows(sql: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const resolved = sql.replace(/\{(\w+)\}/g, (_m, t: string) => parquetOf(t));
    const reader = await connection.runAndReadAll(resolved);
    return reader.getRows().map((r) => r.map((v) => (v === null ? 'NULL' : String(v))));
  } finally {
    connection.closeSync();
  }
}

/** The sample lake's policy as the site serves it. */
export function servedPolicy(): Policy {
  return parsePolicy(JSON.parse(readFileSync('public/sample-lake/policy.json', 'utf8')));
}

/** A SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

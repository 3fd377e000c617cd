/**
 * What a DataAnalyst's browser receives holds no raw identifier and nothing that undoes the masks: every
 * lake file the page asked for comes from the analyst's own folder, no file of it holds a real key or an
 * unshifted time, and hashing the real keys with any salt-like string the page received (the old public
 * salt included) never gives a pseudonym the analyst sees. The attacker here knows the real keys, which is
 * more than a real attacker does.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { literal, nativeRows, openAs } from './support/governance';
import { cell, expect, gridCell, runSql, test } from './support/notebook';

/** The salt every copy of the lake published before keys were kept by the host. */
const OLD_PUBLIC_SALT = 'lakebook-sample-lake-2026-masking-salt';

/** Every response of the page's lake folder: URL and text (for JSON) as received. */
function recordLake(page: Page): { urls: Set<string>; texts: string[] } {
  const seen = { urls: new Set<string>(), texts: [] as string[] };
  page.context().on('response', async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.includes('/sample-lake/')) return;
    seen.urls.add(url.pathname);
    if (url.pathname.endsWith('.json') && response.ok())
      seen.texts.push(await response.text().catch(() => ''));
  });
  return seen;
}

/** Strings in what the page received that could be a salt or key: long runs without spaces. */
function saltLike(texts: string[]): string[] {
  const found = new Set<string>([OLD_PUBLIC_SALT, '']);
  for (const text of texts) for (const m of text.matchAll(/[A-Za-z0-9_:.+/=-]{12,}/g)) found.add(m[0]);
  return [...found];
}

test.describe('what a DataAnalyst receives', () => {
  test('only the analyst folder is fetched, and no file in it holds a real key or an unshifted time', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(180_000);
    const seen = recordLake(page);
    await openAs(page, 'DataAnalyst');
    // Every column of the tables that hold keys and times, so each of their files is fetched.
    const tables = ['patients', 'admissions', 'transfers', 'icustays', 'labevents', 'diagnoses_icd']
      .concat(['evergreen_admissions', 'evergreen_discharge_forms', 'evergreen_bed_alarms'])
      .concat(['raw_evergreen_adt', 'raw_evergreen_discharge_forms', 'raw_evergreen_bed_sensors']);
    await runSql(
      page,
      'cell_1',
      tables
        .map((t) => `SELECT '${t}' AS t, (SELECT count(*) FROM (SELECT DISTINCT * FROM ${t})) AS n`)
        .join(' UNION ALL '),
    );
    const files = [...seen.urls].filter((u) => /\.(parquet|json|jsonl|csv|gz)$/.test(u));
    const outside = files.filter(
      (u) =>
        !/\/sample-lake\/(roles\/data-analyst\/|site\.json$|session\.json$|policy\.json$|notebooks\/)/.test(
          u,
        ),
    );
    expect(outside, 'lake files outside the analyst folder').toEqual([]);
    const parquet = files.filter((u) => u.endsWith('.parquet'));
    expect(parquet.length).toBeGreaterThan(3);

    const dir = mkdtempSync(path.join(tmpdir(), 'lakebook-received-'));
    try {
      const local: string[] = [];
      for (const [i, p] of parquet.entries()) {
        const body = await (await page.request.get(new URL(p, baseURL).href)).body();
        const file = path.join(dir, `${i}.parquet`);
        writeFileSync(file, body);
        local.push(file);
      }
      const keys = await nativeRows(
        `SELECT CAST(subject_id AS VARCHAR) FROM {patients}
         UNION SELECT CAST(hadm_id AS VARCHAR) FROM {admissions}
         UNION SELECT admission_id FROM {evergreen_admissions}
         UNION SELECT patient_id FROM {evergreen_admissions}
         UNION SELECT attending_id FROM {evergreen_admissions}
         UNION SELECT CAST(transfer_id AS VARCHAR) FROM {transfers}
         UNION SELECT form_id FROM {evergreen_discharge_forms}
         UNION SELECT alarm_id FROM {evergreen_bed_alarms}`,
      );
      expect(keys.length).toBeGreaterThan(1000);
      expect(
        await found(
          local,
          keys.map((r) => r[0]!),
        ),
        'raw keys in a received file',
      ).toEqual([]);
      // A shifted time can meet another patient's true time by chance; a column of true times holds them all.
      const times = await nativeRows(
        `SELECT DISTINCT strftime(admittime, '%Y-%m-%d %H:%M:%S') FROM {admissions}`,
      );
      const hits = await found(
        local,
        times.map((r) => r[0]!),
        0.1 * times.length,
      );
      expect(hits, 'columns holding the true admission times').toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('hashing the real keys with any salt-like string the page received gives no pseudonym it shows', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const seen = recordLake(page);
    await openAs(page, 'DataAnalyst');
    // Ask for every table once so its catalog, policy and files have all arrived.
    await runSql(page, 'cell_1', 'SELECT count(*) FROM admissions JOIN patients USING (subject_id)');
    const candidates = saltLike(seen.texts);
    expect(candidates).toContain(OLD_PUBLIC_SALT);
    const keys = (await nativeRows('SELECT DISTINCT CAST(subject_id AS VARCHAR) FROM {patients}')).map(
      (r) => r[0]!,
    );

    // The query from the report, with each salt-like string: it finds no patient.
    await runSql(
      page,
      'cell_1',
      `WITH k AS (SELECT i AS raw, substr(sha256(${literal(`${OLD_PUBLIC_SALT}:hash:`)} || i::VARCHAR), 1, 16) AS h
                  FROM range(10000000, 10050000) r(i))
       SELECT count(*) AS n FROM admissions a JOIN k ON k.h = a.subject_id`,
    );
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('0');

    const values = (list: string[]) => list.map((v) => `(${literal(v)})`).join(', ');
    const guesses = ['sha256(s || v)', 'md5(s || v)', 'sha1(s || v)', 'CAST(hash(s || v) AS VARCHAR)']
      .flatMap((f) => [f, f.replace('s || v', "s || ':hash:' || v"), f.replace('s || v', 'v || s')])
      .map((f) => `SELECT ${f} AS g FROM c, k`);
    await runSql(
      page,
      'cell_1',
      `WITH c(s) AS (VALUES ${values(candidates)}), k(v) AS (VALUES ${values(keys)}),
            g AS (${guesses.join(' UNION ALL ')})
       SELECT count(*) AS n FROM patients p JOIN g ON p.subject_id IN (g.g, substr(g.g, 1, 16), right(g.g, 16))`,
    );
    await expect(cell(page, 'cell_1').getByRole('alert')).toHaveCount(0);
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('0');
  });
});

/**
 * The columns of the Parquet files that hold more than `allowed` of the `secrets`, compared as text (a
 * timestamp prints to the second, as the secrets do), with how many they hold.
 */
async function found(files: string[], secrets: string[], allowed = 0): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE secret(v VARCHAR)`);
    await connection.run(`INSERT INTO secret VALUES ${secrets.map((s) => `(${literal(s)})`).join(', ')}`);
    const hits: string[] = [];
    for (const file of files) {
      const rows = await connection.runAndReadAll(
        `WITH cells AS (UNPIVOT (SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet(${literal(file)}))
                        ON COLUMNS(*) INTO NAME col VALUE v)
         SELECT col, count(DISTINCT v) AS n FROM cells JOIN secret USING (v) GROUP BY col`,
      );
      for (const [col, n] of rows.getRows())
        if (Number(n) > allowed) hits.push(`${path.basename(file)}.${String(col)}: ${String(n)}`);
    }
    return hits;
  } finally {
    connection.closeSync();
  }
}

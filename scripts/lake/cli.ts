/**
 * The lake command line:
 *
 *   npm run lake -- ingest FILES... --lake DIR [--source NAME]
 *   npm run lake -- catalog --lake DIR
 *   npm run lake -- metrics --lake DIR [--metrics-dir metrics] [--as-of ISO] [--if-changed]
 *   npm run lake -- verify --lake DIR
 *   npm run lake -- retention --days N --lake DIR [--force]
 *
 * Exit codes: 0 done, 1 a check failed (verify) or a command failed, 2 the command line is wrong.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { LAKE_CONTRACTS } from '../../src/lake/lake-contracts.ts';
import { rescanCatalog, type CatalogReport } from './catalog.ts';
import { openDuck } from './duck.ts';
import { ingestFile } from './ingest.ts';
import { readManifest, writeManifest } from './manifest-store.ts';
import { rebuildMetrics } from './metrics.ts';
import { applyRetention, forgetFiles } from './retention.ts';
import { verifyLake } from './verify.ts';
import { checkLakeNotebooks } from './check-notebooks.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

class UsageError extends Error {}

export async function runLakeCli(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      lake: { type: 'string' },
      source: { type: 'string' },
      days: { type: 'string' },
      force: { type: 'boolean', default: false },
      'metrics-dir': { type: 'string' },
      'as-of': { type: 'string' },
      now: { type: 'string' },
      'if-changed': { type: 'boolean', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (!values.lake) throw new UsageError('--lake DIR is required');
  const lakeDir = path.resolve(values.lake);
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError('--now must be an ISO date and time');
  const conn = await openDuck();

  switch (command) {
    case 'ingest': {
      if (args.length === 0) throw new UsageError('ingest needs at least one file');
      const totals = { ingested: 0, duplicate: 0, rejected: 0 };
      const written: string[] = [];
      for (const file of args) {
        const r = await ingestFile(conn, lakeDir, path.resolve(file), LAKE_CONTRACTS, now, values.source);
        written.push(r.raw);
        totals.ingested += r.ingested;
        totals.duplicate += r.duplicate;
        totals.rejected += r.rejected;
        const dead = r.deadLetter ? `, dead letters in ${r.deadLetter}` : '';
        log(
          `${path.basename(file)} -> ${r.table}: ${r.ingested} ingested, ${r.duplicate} duplicate, ${r.rejected} rejected${dead}`,
        );
      }
      const scan = await rescanCatalog(conn, lakeDir, LAKE_CONTRACTS, now.toISOString(), { written });
      logRefused(scan.refused, log);
      log(`total: ${totals.ingested} ingested, ${totals.duplicate} duplicate, ${totals.rejected} rejected`);
      return 0;
    }
    case 'catalog': {
      const r = await rescanCatalog(conn, lakeDir, LAKE_CONTRACTS, now.toISOString());
      log(
        `${r.tables} tables; added: ${r.added.join(', ') || 'none'}; updated: ${r.updated.join(', ') || 'none'}`,
      );
      for (const v of r.vanished) log(`vanished: ${v.table} (${v.missing.join(', ') || 'no files found'})`);
      for (const m of r.misplaced)
        log(`misplaced: ${m.table} is in the ${m.folderTier} folder but tagged ${m.tagTier}`);
      logRefused(r.refused, log);
      return r.refused.length === 0 ? 0 : 1;
    }
    case 'metrics': {
      const asOf = values['as-of'] ? new Date(values['as-of']) : now;
      const metricsDir = path.resolve(values['metrics-dir'] ?? path.join(projectDir, 'metrics'));
      const prefix = `${path.relative(projectDir, metricsDir).split(path.sep).join('/')}/`;
      const reports = await rebuildMetrics(conn, lakeDir, metricsDir, prefix, asOf, {
        ifChanged: values['if-changed'],
      });
      for (const r of reports)
        log(`${r.metric}: ${r.rows} rows, ${r.unchanged ? 'unchanged, no snapshot' : r.snapshot}`);
      return 0;
    }
    case 'verify': {
      const problems = await verifyLake(conn, lakeDir, { projectDir });
      for (const p of problems) log(`${p.table}${p.file ? ` ${p.file}` : ''}: ${p.problem}`);
      // A catalog that does not match its files would only make the notebooks fail for that reason.
      const notebookProblems = problems.length === 0 ? await checkLakeNotebooks(lakeDir) : [];
      for (const p of notebookProblems) log(`${p.file}${p.cell ? ` ${p.cell}` : ''}: ${p.problem}`);
      const count = problems.length + notebookProblems.length;
      log(
        count === 0
          ? 'verify: the catalog matches the files and every notebook runs'
          : `verify: ${count} problem(s)`,
      );
      return count === 0 ? 0 : 1;
    }
    case 'retention': {
      const days = Number(values.days);
      if (!Number.isInteger(days) || days < 0)
        throw new UsageError('retention needs --days N (a whole number)');
      const r = applyRetention(lakeDir, days, now, values.force);
      const manifest = readManifest(lakeDir);
      if (manifest)
        writeManifest(
          lakeDir,
          forgetFiles(
            manifest,
            [...r.archived.map((a) => a.replace('/archive/raw/', '/raw/')), ...r.deleted],
            now.toISOString(),
          ),
        );
      log(`retention: ${r.archived.length} raw file(s) archived, ${r.deleted.length} deleted`);
      return 0;
    }
    default:
      throw new UsageError(
        `unknown command "${command ?? ''}" (ingest, catalog, metrics, verify, retention)`,
      );
  }
}

function logRefused(refused: CatalogReport['refused'], log: (line: string) => void) {
  for (const r of refused)
    for (const file of r.files)
      log(
        `refused: ${file} is in the folder of ${r.table} but not in the catalog, and no command wrote it; ` +
          'it stays out of the catalog. Remove it; raw events enter through ingest, metric snapshots through metrics.',
      );
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  runLakeCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`lake: ${(e as Error).message}`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}

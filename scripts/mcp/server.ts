/**
 * The metric packs for agents, as an MCP server over stdio:
 *
 *   npm run mcp                      the packs of the sample lake, built at start (public/sample-lake)
 *   npm run mcp -- --packs DIR       the packs of a built site, e.g. dist/metrics
 *
 * It serves metric packs and nothing else: no record-level data, no Parquet (docs/mcp.md).
 * Exit codes: 2 the command line or the packs folder is wrong, 1 anything else failed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createPackServer } from './create-server.ts';
import { loadPackFolder, PackFolderError, type PackSet } from './pack-folder.ts';
import { buildSamplePacks } from './sample-packs.ts';

// stdout carries protocol messages only: a stray console.log from any module would break the client's
// parser, so everything logged goes to stderr.
console.log = console.error;

const USAGE =
  'Usage: npm run mcp -- [--packs DIR]   (DIR: the metrics/ folder of a built site, e.g. dist/metrics)';
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let packsDir: string | undefined;
try {
  packsDir = parseArgs({ options: { packs: { type: 'string' } } }).values.packs;
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  process.exit(2);
}

let set: PackSet;
let source: string;
try {
  if (packsDir !== undefined) {
    source = path.resolve(packsDir);
    set = loadPackFolder(source);
  } else {
    source = 'the sample lake (public/sample-lake)';
    const sample = await buildSamplePacks(projectDir);
    for (const r of sample.refused) console.error(`No metric pack for ${r.metric}: ${r.reason}`);
    set = sample.packs;
  }
} catch (e) {
  if (!(e instanceof PackFolderError)) throw e;
  console.error(
    `Cannot serve metric packs: ${e.message}\n` +
      'Build the site (npm run build writes dist/metrics) and pass that folder, or leave out --packs to ' +
      "serve the sample lake's packs.",
  );
  process.exit(2);
}

const { version } = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as {
  version: string;
};
const server = createPackServer(set, version);
await server.connect(new StdioServerTransport());
// A client that closes our stdin is done with us.
process.stdin.on('end', () => void server.close().finally(() => process.exit(0)));
console.error(`Serving ${set.packs.size} metric packs from ${source} over stdio.`);

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { PackSet } from './pack-folder.ts';
import { registerResources } from './resources.ts';
import { registerTools } from './tools.ts';

function instructions(set: PackSet): string {
  const sizes = [...new Set([...set.packs.values()].map((p) => p.smallCells.minGroupSize))];
  return (
    "Read-only access to Lakebook's published metric packs: aggregates as the public role sees them, groups " +
    `of fewer than ${sizes.join(' or ')} patients suppressed (their numbers are null and no figure includes ` +
    'them). Start with list_metrics; get_metric returns a pack or some of its sections; compare_groups sets ' +
    'the hospital and each ward side by side for a before/after measure. No record-level data is available here.'
  );
}

/** A server over loaded packs; it reads nothing else and writes nothing. */
export function createPackServer(set: PackSet, version: string): McpServer {
  const server = new McpServer({ name: 'lakebook-metrics', version }, { instructions: instructions(set) });
  registerResources(server, set);
  registerTools(server, set);
  return server;
}

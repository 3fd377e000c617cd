/**
 * The packs as resources: the index at `lakebook://metrics` and each pack at `lakebook://metrics/<name>`,
 * served as the JSON the site publishes.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { PackSet } from './pack-folder.ts';

export const INDEX_URI = 'lakebook://metrics';
const JSON_TYPE = 'application/json';

export function packUri(name: string): string {
  return `${INDEX_URI}/${name}`;
}

export function registerResources(server: McpServer, set: PackSet): void {
  server.registerResource(
    'metric-pack-index',
    INDEX_URI,
    {
      title: 'Metric pack index',
      description: `The published metrics (format lakebook-metric-pack-index); each pack is at ${packUri('<name>')}.`,
      mimeType: JSON_TYPE,
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: json(set.index) }] }),
  );
  for (const pack of set.packs.values())
    server.registerResource(
      pack.name,
      packUri(pack.name),
      { title: `Metric pack ${pack.name}`, description: pack.description, mimeType: JSON_TYPE },
      (uri) => ({ contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: json(pack) }] }),
    );
}

/** As the site build writes pack files, so a resource reads byte for byte like the published file. */
function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

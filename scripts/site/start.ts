/**
 * `npm start`: builds the site (scripts/site/build-site.ts) and serves it on http://localhost:5173/ from
 * this one process, so that stopping it, by Ctrl+C or by its process id, stops everything it started.
 */
import { spawnSync } from 'node:child_process';
import { preview } from 'vite';

const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/site/build-site.ts'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const server = await preview({ preview: { port: 5173, strictPort: true } });
server.printUrls();

const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// npm runs this under a shell that may not pass a signal on: when the parent goes, so does the server.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    stop();
  }
}, 1000).unref();

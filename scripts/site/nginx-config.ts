/**
 * An nginx configuration that serves a built site to signed-in users only, and to each user only the lake
 * folder prepared for their role (and attributes): a request for another role's folder gets 403, and the
 * full lake and the masking secret are not in `dist/` at all. The page learns who signed in from
 * `sample-lake/session.json`, which nginx answers per user.
 *
 *   npm run -s nginx-config -- --site dist --users users.json --htpasswd /etc/lakebook/htpasswd \
 *     [--listen 127.0.0.1:8080] [--prefix /var/lib/lakebook-nginx] > lakebook.conf
 *
 * The sign-in here is HTTP basic auth against an htpasswd file; docs/hosting.md shows the `auth_request`
 * pattern for an identity provider, which sets the same user name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parsePolicy } from '../../src/gov/policy-schema.ts';
import { folderFor, parseSite, type SiteConfig } from '../../src/gov/site.ts';
import type { Session } from '../../src/gov/types.ts';
import { readUsersFile } from './users-file.ts';

export interface NginxOptions {
  /** The built site (`dist/`), absolute. */
  siteDir: string;
  site: SiteConfig;
  users: Session[];
  htpasswd: string;
  listen: string;
  /** Where nginx keeps its pid, temporary files and logs. */
  prefix: string;
  mimeTypes?: string;
}

/** The headers the README asks hosts to send on every file (cross-origin isolation included). */
const HEADERS = [
  [
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  ],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
];

/** An nginx string: double-quoted, quotes and backslashes escaped; `$` would start a variable, so it is refused. */
function str(text: string): string {
  if (text.includes('$')) throw new Error(`nginx cannot take "${text}" as it is: remove the $ sign.`);
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Every check below runs after sign-in: `if` and `return` run in nginx's rewrite phase, before
 * `auth_basic`, so they only run in named locations reached through `try_files`, which comes after it.
 */
export function nginxConfig(o: NginxOptions): string {
  const folders: string[] = [];
  const sessions: string[] = [];
  for (const user of o.users) {
    const folder = folderFor(o.site, user);
    if (!folder) {
      throw new Error(
        `No lake folder was built for ${user.user} (${user.role}); build the site with this users file (npm run build -- --users FILE).`,
      );
    }
    const prefix = `/sample-lake/${folder.folder}`;
    folders.push(`    ${str(`~^${escapeRegex(user.user)} ${escapeRegex(prefix)}`)} "";`);
    sessions.push(`    ${str(user.user)} ${str(JSON.stringify(user))};`);
  }
  const headers = HEADERS.map(([k, v]) => `    add_header ${k} ${str(v)} always;`).join('\n');
  return `# Lakebook behind nginx: every request signed in, each user served only their role's lake folder.
worker_processes 1;
pid ${path.join(o.prefix, 'nginx.pid')};
error_log ${path.join(o.prefix, 'error.log')} warn;
events { worker_connections 256; }

http {
  include ${o.mimeTypes ?? '/etc/nginx/mime.types'};
  default_type application/octet-stream;
  client_body_temp_path ${path.join(o.prefix, 'body')};
  proxy_temp_path ${path.join(o.prefix, 'proxy')};
  fastcgi_temp_path ${path.join(o.prefix, 'fastcgi')};
  uwsgi_temp_path ${path.join(o.prefix, 'uwsgi')};
  scgi_temp_path ${path.join(o.prefix, 'scgi')};
  # The file-level audit: who asked for which file, and what they got.
  log_format lakebook '$remote_addr $remote_user [$time_iso8601] "$request" $status $body_bytes_sent';
  access_log ${path.join(o.prefix, 'access.log')} lakebook;
  server_tokens off;

  # Empty when the signed-in user asks for a file of their own lake folder; a path prefix that leads
  # nowhere otherwise.
  map "$remote_user $uri" $lakebook_denied {
    default "/denied";
${folders.join('\n')}
  }

  # Who signed in, for the page: it offers this session and no role switcher.
  map $remote_user $lakebook_session {
    default "";
${sessions.join('\n')}
  }

  server {
    listen ${o.listen};
    root ${o.siteDir};
    auth_basic "Lakebook";
    auth_basic_user_file ${o.htpasswd};
${headers}

    location = /sample-lake/session.json {
      try_files /.no-such-file @session;
    }
    location @session {
      if ($lakebook_session = "") { return 403; }
      default_type application/json;
      expires -1;
      return 200 $lakebook_session;
    }

    location ^~ /sample-lake/roles/ {
      try_files $lakebook_denied$uri @refused;
    }
    location @refused {
      if ($lakebook_denied) { return 403; }
      return 404;
    }

    location / {
      try_files $uri $uri/ =404;
    }
  }
}
`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      site: { type: 'string', default: 'dist' },
      users: { type: 'string' },
      htpasswd: { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:8080' },
      prefix: { type: 'string', default: '/var/lib/lakebook-nginx' },
    },
  });
  if (!values.users || !values.htpasswd) {
    console.error(
      'Usage: npm run -s nginx-config -- --site dist --users users.json --htpasswd FILE [--listen ADDR:PORT] [--prefix DIR]',
    );
    process.exit(2);
  }
  const siteDir = path.resolve(values.site);
  const lake = path.join(siteDir, 'sample-lake');
  const policy = parsePolicy(JSON.parse(readFileSync(path.join(lake, 'policy.json'), 'utf8')));
  const site = parseSite(JSON.parse(readFileSync(path.join(lake, 'site.json'), 'utf8')));
  const users = readUsersFile(path.resolve(values.users), policy);
  process.stdout.write(
    nginxConfig({
      siteDir,
      site,
      users,
      htpasswd: path.resolve(values.htpasswd),
      listen: values.listen,
      prefix: path.resolve(values.prefix),
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}

/**
 * Share a notebook as a link: the notebook file, deflated and base64url-encoded, travels in the URL's
 * fragment, which browsers never send to a server. Opening the link goes through `restoreNotebook`.
 */
import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';
import { restoreNotebook, serializeNotebook, type RestoreResult } from './file-format';
import type { Notebook } from './notebook';

export const SHARE_PREFIX = '#/share/';
/** Chromium accepts URLs up to 2 MB; stay well below so the link also survives chat tools and mail. */
export const MAX_SHARE_CHARS = 1_000_000;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export type ShareLink = { ok: true; fragment: string } | { ok: false; message: string };

export function shareFragment(nb: Notebook): ShareLink {
  const fragment = SHARE_PREFIX + toBase64Url(zlibSync(strToU8(serializeNotebook(nb)), { level: 9 }));
  if (fragment.length > MAX_SHARE_CHARS)
    return {
      ok: false,
      message: 'This notebook is too large for a link. Export it as a .lakebook.json file and send the file.',
    };
  return { ok: true, fragment };
}

export function isShareFragment(hash: string): boolean {
  return hash.startsWith(SHARE_PREFIX);
}

export function readShareFragment(hash: string): RestoreResult {
  if (!isShareFragment(hash)) return { ok: false, message: 'This link does not contain a notebook.' };
  let text: string;
  try {
    text = strFromU8(unzlibSync(fromBase64Url(hash.slice(SHARE_PREFIX.length))));
  } catch {
    return { ok: false, message: 'This notebook link is damaged or cut short. Ask for the link again.' };
  }
  return restoreNotebook(text);
}

/**
 * Markdown to HTML for cells and the read-only view: marked, then DOMPurify. No script runs, and a cell's
 * Markdown also cannot dress itself up as the page: no inline styles, classes or ids (the page's own classes
 * include fixed overlays), no popovers or dialogs (the top layer escapes any box), and links to other
 * origins open apart from the page and show where they lead (the link text, then its host), so
 * "Your session expired" cannot pass for the app. The cell's box clips what is left (`contain: paint`).
 */
import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';
import { marked } from 'marked';

/** Media and embeds are dropped: they would fetch from other origins, which the page never does. */
const FORBID_TAGS = [
  'img',
  'picture',
  'source',
  'video',
  'audio',
  'iframe',
  'object',
  'embed',
  'form',
  'style',
  'dialog',
];

const FORBID_ATTR = ['style', 'class', 'id', 'popover', 'popovertarget', 'popovertargetaction', 'target'];

/** Where a link to another origin leads, as the reader should see it; undefined for the page's own. */
export function foreignTarget(href: string, page: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, page);
  } catch {
    return undefined;
  }
  if (url.origin === new URL(page).origin) return undefined;
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.host;
  return url.protocol === 'mailto:' ? `mail to ${url.pathname}` : url.protocol.replace(/:$/, '');
}

let purifier: Purifier | undefined;

function markdownPurifier(): Purifier {
  if (purifier) return purifier;
  const own = DOMPurify(window);
  own.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const target = foreignTarget(node.getAttribute('href') ?? '', location.href);
    if (target === undefined) return;
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
    node.appendChild(node.ownerDocument.createTextNode(` (${target})`));
  });
  purifier = own;
  return own;
}

export function renderMarkdown(text: string): string {
  return markdownPurifier().sanitize(marked.parse(text, { async: false, gfm: true }), {
    FORBID_TAGS,
    FORBID_ATTR,
  });
}

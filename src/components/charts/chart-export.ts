/** Exports of a drawn chart: its SVG as a file, the same rendered to PNG, and a download helper. */
import type { ChartTheme } from './chart-theme';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A file name from the chart's title. */
export function fileBaseName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return slug || 'chart';
}

/** The chart's SVG as a standalone document: a background, the title, and concrete colours. */
export function chartSvg(container: Element, title: string, theme: ChartTheme): string | undefined {
  const svg = container.querySelector('.recharts-wrapper > svg.recharts-surface');
  if (!svg) return undefined;
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('font-family', theme.font);
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const doc = clone.ownerDocument;
  const titleEl = doc.createElementNS(SVG_NS, 'title');
  titleEl.textContent = title;
  const background = doc.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({ x: '0', y: '0', width: String(width), height: String(height) }))
    background.setAttribute(k, v);
  background.setAttribute('fill', theme.background);
  clone.insertBefore(background, clone.firstChild);
  clone.insertBefore(titleEl, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** A KPI has no chart surface: its export is a small SVG card with the number and its change. */
export function kpiSvg(title: string, value: string, change: string, theme: ChartTheme): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<svg xmlns="${SVG_NS}" width="360" height="160" viewBox="0 0 360 160" font-family="${esc(theme.font)}">` +
    `<title>${esc(title)}</title><rect width="360" height="160" fill="${esc(theme.background)}"/>` +
    `<text x="20" y="36" font-size="14" fill="${esc(theme.muted)}">${esc(title)}</text>` +
    `<text x="20" y="96" font-size="44" font-weight="600" fill="${esc(theme.text)}">${esc(value)}</text>` +
    `<text x="20" y="132" font-size="14" fill="${esc(theme.muted)}">${esc(change)}</text></svg>`
  );
}

/** Renders SVG text to a PNG at twice its size (sharp on high-density screens and in print). */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(img.naturalWidth * scale);
    canvas.height = Math.ceil(img.naturalHeight * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw the chart to an image.');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be made.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

import { describe, expect, it } from 'vitest';
import { makeSqlCell } from './cells';
import { newNotebook } from './notebook';
import { isShareFragment, readShareFragment, shareFragment } from './share';

describe('share links', () => {
  it('round-trips a notebook through the fragment', () => {
    const nb = { ...newNotebook('Shared ✓'), cells: [makeSqlCell('cell_1', "SELECT 'é' AS x -- ünïcode")] };
    const link = shareFragment(nb);
    expect(link.ok).toBe(true);
    if (!link.ok) return;
    expect(isShareFragment(link.fragment)).toBe(true);
    expect(link.fragment).toMatch(/^#\/share\/[A-Za-z0-9_-]+$/);
    expect(readShareFragment(link.fragment)).toEqual({ ok: true, notebook: nb, migratedFrom: undefined });
  });

  it('explains a damaged link', () => {
    const r = readShareFragment('#/share/not-really-deflate');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/damaged/);
  });

  it('refuses a notebook too large for a link', () => {
    const bytes = crypto.getRandomValues(new Uint8Array(65_536));
    const random = Array.from({ length: 16 }, () =>
      Buffer.from(bytes.map((b) => b ^ (Math.random() * 256))).toString('hex'),
    ).join('');
    const nb = { ...newNotebook(), cells: [makeSqlCell('cell_1', random)] };
    const link = shareFragment(nb);
    expect(link.ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { sealEntry, sha256Hex, toJsonl, verifyChain, type AuditEntry, type AuditInput } from './audit';

function input(i: number): AuditInput {
  return {
    action: 'query',
    user: 'ana',
    role: 'DataAnalyst',
    time: `2026-01-01T10:00:0${i % 10}Z`,
    statement: `SELECT ${i} FROM admissions`,
    decision: i % 3 === 0 ? 'deny' : 'allow',
    objects: ['admissions'],
    rules: ['mask hash on admissions.hadm_id'],
    rows: i,
    durationMs: 1.5,
  };
}

async function chain(n: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const last = out.at(-1);
    out.push(await sealEntry(input(i), last && { seq: last.seq, hash: last.hash }));
  }
  return out;
}

const head = (es: AuditEntry[]) => ({ seq: es.at(-1)!.seq, hash: es.at(-1)!.hash });

describe('audit hash chain', () => {
  it('hashes the statement with SHA-256 and links each entry to the one before', async () => {
    const es = await chain(3);
    expect(es[0].statementHash).toBe(await sha256Hex('SELECT 0 FROM admissions'));
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(es[1].prevHash).toBe(es[0].hash);
    expect(await verifyChain(es, head(es))).toEqual({ ok: true, problems: [] });
  });

  const tamperings: [string, (es: AuditEntry[]) => unknown[]][] = [
    ['an edited statement', (es) => es.map((e, i) => (i === 2 ? { ...e, statement: 'SELECT 1' } : e))],
    ['an edited decision', (es) => es.map((e, i) => (i === 1 ? { ...e, decision: 'deny' } : e))],
    ['an edited row count', (es) => es.map((e, i) => (i === 4 ? { ...e, rows: 0 } : e))],
    ['two entries swapped', (es) => [es[0], es[2], es[1], ...es.slice(3)]],
    ['an entry dropped in the middle', (es) => [...es.slice(0, 2), ...es.slice(3)]],
    ['the first entry dropped', (es) => es.slice(1)],
    ['the last entry dropped', (es) => es.slice(0, -1)],
    ['every entry dropped', () => []],
    ['a forged entry inserted', (es) => [...es.slice(0, 2), { ...es[2], user: 'mallory' }, ...es.slice(2)]],
    ['a malformed entry', (es) => es.map((e, i) => (i === 3 ? { ...e, hash: 'x' } : e))],
  ];
  for (const [what, tamper] of tamperings) {
    it(`detects ${what}`, async () => {
      const es = await chain(6);
      const report = await verifyChain(tamper(es), head(es));
      expect(report.ok).toBe(false);
      expect(report.problems.length).toBeGreaterThan(0);
    });
  }

  it('re-chaining after an edit still breaks at the head record', async () => {
    const es = await chain(4);
    const forged: AuditEntry[] = [];
    for (const e of es) {
      const last = forged.at(-1);
      const { seq: _s, statementHash: _h, prevHash: _p, hash: _x, ...rest } = e;
      forged.push(await sealEntry({ ...rest, user: 'mallory' }, last && { seq: last.seq, hash: last.hash }));
    }
    expect((await verifyChain(forged)).ok).toBe(true);
    expect((await verifyChain(forged, head(es))).ok).toBe(false);
  });

  it('exports JSONL that verifies when read back', async () => {
    const es = await chain(3);
    const lines = toJsonl(es).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(
      (
        await verifyChain(
          lines.map((l) => JSON.parse(l)),
          head(es),
        )
      ).ok,
    ).toBe(true);
  });
});

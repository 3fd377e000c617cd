import { describe, expect, it } from 'vitest';
import { chunkRowGroups } from './load-plan';
import { readingAhead } from './read-ahead';

/** A reader that answers each read with the groups and columns it was asked for, and counts the reads. */
function recorder(fail?: (groups: number[]) => boolean) {
  const asked: string[] = [];
  const read = async (groups: number[] | undefined, columns: string[]) => {
    const key = `${JSON.stringify(groups)} ${columns.join(',')}`;
    asked.push(key);
    if (groups && fail?.(groups)) throw new Error(`broken ${key}`);
    return new TextEncoder().encode(key);
  };
  return { asked, read };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Reads every chunk as the loader does: what each read answered, and whether it was asked for before. */
async function load(
  rowGroups: number[],
  targetRows: number,
  read: ReturnType<typeof readingAhead>,
  asked: string[],
) {
  const answers: { answer: string; early: boolean }[] = [];
  for (const chunk of chunkRowGroups(rowGroups, targetRows)) {
    const early = asked.includes(`${JSON.stringify(chunk)} a,b`);
    answers.push({ answer: text(await read(chunk, ['a', 'b'])), early });
  }
  return answers;
}

describe('reading ahead', () => {
  it.each([
    ['a small last group merged into the chunk before', [...Array(8).fill(122_880), 6238], 131_072, 6],
    ['a large last group on its own', [...Array(7).fill(122_880), 112_175], 131_072, 6],
    ['many small groups per chunk', Array(20).fill(1000), 5000, 3],
    ['groups of different sizes', [2048, 2048, 904, 3000, 100, 100, 2500], 2000, 3],
    ['one group', [500], 2000, 0],
  ])('answers each chunk with its own rows (%s), and wastes no read', async (_, rowGroups, target, early) => {
    const { asked, read } = recorder();
    const chunks = chunkRowGroups(rowGroups, target);
    const answers = await load(rowGroups, target, readingAhead(read, rowGroups), asked);
    expect(answers.map((a) => a.answer)).toEqual(chunks.map((c) => `${JSON.stringify(c)} a,b`));
    expect(asked).toHaveLength(chunks.length);
    // Chunks already asked for when the loader asked: wherever the chunks so far leave no doubt.
    expect(answers.filter((a) => a.early).length).toBe(early);
  });

  it('asks for the next chunk while the current one is read', async () => {
    const { asked, read } = recorder();
    const reader = readingAhead(read, [10, 10, 10]);
    await reader([0], ['a']);
    expect(asked).toEqual(['[0] a', '[1] a']);
  });

  it('reads afresh when the columns differ from the read ahead', async () => {
    const { asked, read } = recorder();
    const reader = readingAhead(read, [10, 10, 10]);
    await reader([0], ['a']);
    expect(text(await reader([1], ['b']))).toBe('[1] b');
    expect(asked).toEqual(['[0] a', '[1] a', '[1] b', '[2] b']);
  });

  it('does not read ahead a whole-file read', async () => {
    const { asked, read } = recorder();
    await readingAhead(read, undefined)(undefined, ['a']);
    expect(asked).toEqual(['undefined a']);
  });

  it('fails a chunk read ahead with its own error when it is asked for, and not before', async () => {
    const { read } = recorder((groups) => groups[0] === 1);
    const reader = readingAhead(read, [10, 10, 10]);
    expect(text(await reader([0], ['a']))).toBe('[0] a');
    await expect(reader([1], ['a'])).rejects.toThrow('broken [1] a');
  });
});

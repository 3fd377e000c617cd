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

/** Reads every chunk as the loader does, and returns what each read answered. */
async function load(rowGroups: number[], targetRows: number, read: ReturnType<typeof readingAhead>) {
  const answers: string[] = [];
  for (const chunk of chunkRowGroups(rowGroups, targetRows))
    answers.push(text(await read(chunk, ['a', 'b'])));
  return answers;
}

describe('reading ahead', () => {
  it.each([
    [
      'equal groups and a small last one merged into the chunk before',
      [...Array(8).fill(122_880), 6238],
      131_072,
      0,
    ],
    ['many small groups per chunk', Array(20).fill(1000), 5000, 0],
    ['a first guess too large, then right', [2048, 2048, 904], 2000, 1],
    ['one group', [500], 2000, 0],
  ])(
    'answers each chunk with its own rows (%s), with few reads wasted',
    async (_, rowGroups, target, wasted) => {
      const { asked, read } = recorder();
      const chunks = chunkRowGroups(rowGroups, target);
      const answers = await load(rowGroups, target, readingAhead(read, rowGroups));
      expect(answers).toEqual(chunks.map((c) => `${JSON.stringify(c)} a,b`));
      expect(asked.length - chunks.length).toBe(wasted);
    },
  );

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

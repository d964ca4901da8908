import { describe, expect, it } from 'vitest';
import { modelTextBlocks, spansOf } from './modelTextBlocks.ts';

describe('modelTextBlocks', () => {
  it('splits paragraphs and keeps line breaks inside one', () => {
    expect(modelTextBlocks('First line\nsecond line\n\nNext paragraph')).toEqual([
      {
        kind: 'paragraph',
        lines: [[{ text: 'First line', bold: false }], [{ text: 'second line', bold: false }]],
      },
      { kind: 'paragraph', lines: [[{ text: 'Next paragraph', bold: false }]] },
    ]);
  });

  it('turns bullet and numbered lines into lists', () => {
    const blocks = modelTextBlocks(
      'Attributes:\n- Clarity: good\n- Noise: low\n1. Crop\n2. Denoise',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'list', 'list']);
    expect(blocks[1]).toMatchObject({ kind: 'list', ordered: false });
    expect(blocks[2]).toMatchObject({ kind: 'list', ordered: true });
    expect(blocks[2]!.kind === 'list' && blocks[2]!.items.length).toBe(2);
  });

  it('keeps markup as literal text', () => {
    const text = '<img src=x onerror=alert(1)> <script>alert(2)</script>';
    expect(modelTextBlocks(text)).toEqual([
      { kind: 'paragraph', lines: [[{ text, bold: false }]] },
    ]);
  });
});

describe('spansOf', () => {
  it('marks **bold** and leaves an unclosed ** alone', () => {
    expect(spansOf('The **noise** is **low')).toEqual([
      { text: 'The ', bold: false },
      { text: 'noise', bold: true },
      { text: ' is **low', bold: false },
    ]);
  });
});

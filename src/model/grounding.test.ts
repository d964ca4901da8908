import { describe, expect, it } from 'vitest';
import {
  BOX_ALPHABET,
  BOX_TEMPLATE,
  isBoxPrefix,
  isWhereQuestion,
  nextBoxCharacters,
  parseBox,
  type BoxReading,
} from './grounding.ts';

const reason = (reading: BoxReading) => (reading.kind === 'none' ? reading.reason : 'box');

describe('parseBox', () => {
  it('reads one normalised box, alone or in a sentence', () => {
    expect(parseBox('[0.12, 0.40, 0.55, 0.93]')).toEqual({
      kind: 'box',
      box: { x1: 0.12, y1: 0.4, x2: 0.55, y2: 0.93 },
    });
    expect(parseBox('The blur is in the lower left, [0.1,0.5,0.45,1].')).toEqual({
      kind: 'box',
      box: { x1: 0.1, y1: 0.5, x2: 0.45, y2: 1 },
    });
    expect(parseBox('[0.125, 0.000, 1.000, 0.875]')).toMatchObject({ kind: 'box' });
    expect(parseBox('[0, 0, 1, 1]')).toMatchObject({ kind: 'box' });
  });

  it('refuses values outside 0–1', () => {
    expect(reason(parseBox('[0.10, 0.20, 1.30, 0.90]'))).toBe('out-of-range');
    expect(reason(parseBox('[-0.10, 0.20, 0.30, 0.90]'))).toBe('out-of-range');
    expect(reason(parseBox('[0.1, 0.2, 0.3, 1.5]'))).toBe('out-of-range');
  });

  it('refuses reversed corners and boxes without area', () => {
    expect(reason(parseBox('[0.60, 0.20, 0.30, 0.90]'))).toBe('reversed');
    expect(reason(parseBox('[0.10, 0.90, 0.30, 0.20]'))).toBe('reversed');
    expect(reason(parseBox('[0.30, 0.20, 0.30, 0.90]'))).toBe('reversed');
  });

  it('needs exactly four numbers', () => {
    expect(reason(parseBox('[0.1, 0.2, 0.3]'))).toBe('wrong-count');
    expect(reason(parseBox('[0.1, 0.2, 0.3, 0.4, 0.5]'))).toBe('wrong-count');
    expect(reason(parseBox('[0.1, 0.2, 0.3, 0.4], 0.5'))).toBe('wrong-count');
    expect(reason(parseBox('[0.1, 0.2, 0.3, 0.4,]'))).toBe('wrong-count');
  });

  it('allows words after the box but not a second box', () => {
    expect(parseBox('[0.10, 0.20, 0.30, 0.40] is where the noise is.')).toMatchObject({
      kind: 'box',
    });
    expect(reason(parseBox('[0.10, 0.20, 0.30, 0.40] and [0.50, 0.50, 0.90, 0.90]'))).toBe(
      'several-boxes',
    );
  });

  it('refuses pixel coordinates instead of guessing the image size', () => {
    const reading = parseBox('[120, 40, 380, 300]');
    expect(reason(reading)).toBe('pixels');
    expect(reading.kind === 'none' && reading.message).toMatch(/pixel coordinates/);
  });

  it('says there is no box when the answer has no coordinates', () => {
    expect(reason(parseBox('The blur is in the lower left corner.'))).toBe('no-box');
    expect(reason(parseBox(''))).toBe('no-box');
    expect(reason(parseBox('[blurry]'))).toBe('no-box');
    expect(reason(parseBox('[0.1, 0.2, 0.3, 0.4'))).toBe('no-box');
  });

  it('stays strict and quick on hostile strings', () => {
    const cases: [string, string][] = [
      ['[NaN, 0.2, 0.3, 0.4]', 'not-numbers'],
      ['[Infinity, 0, 1, 1]', 'not-numbers'],
      ['[1e-1, 0.2, 0.3, 0.4]', 'not-numbers'],
      ['[0x1, 0.2, 0.3, 0.4]', 'not-numbers'],
      ['[٠.١, 0.2, 0.3, 0.4]', 'not-numbers'],
      ['[0.1; 0.2; 0.3; 0.4]', 'wrong-count'],
      ['[<img src=x onerror=alert(1)>, 0.2, 0.3, 0.4]', 'not-numbers'],
      ['[[0.1, 0.2, 0.3, 0.4]]', 'box'],
      [`${'['.repeat(3000)}0.1, 0.2, 0.3, 0.4${']'.repeat(3000)}`, 'too-long'],
    ];
    for (const [text, expected] of cases) expect(reason(parseBox(text)), text).toBe(expected);
    const started = performance.now();
    parseBox(`[${'0.1, '.repeat(790)}`);
    parseBox('['.repeat(3999));
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('the coordinate grammar', () => {
  it('is written from the template’s characters, digits included', () => {
    expect(BOX_TEMPLATE).toBe('[0.##, 0.##, 0.##, 0.##]');
    expect([...BOX_ALPHABET].sort()).toEqual([...' ,.0123456789[]'].sort());
  });

  it('accepts prefixes of ordered boxes only', () => {
    expect(isBoxPrefix('')).toBe(true);
    expect(isBoxPrefix('[0.1')).toBe(true);
    expect(isBoxPrefix('[1')).toBe(false);
    expect(isBoxPrefix('[0.12,')).toBe(true);
    expect(isBoxPrefix('[0.12 ')).toBe(false);
    expect(isBoxPrefix('[0.12, 0.40, 0.55, 0.93]')).toBe(true);
    expect(isBoxPrefix('[0.12, 0.40, 0.55, 0.93] ')).toBe(false);
    // x2 must be able to exceed x1; y2 to exceed y1.
    expect(isBoxPrefix('[0.50, 0.40, 0.4')).toBe(false);
    expect(isBoxPrefix('[0.50, 0.40, 0.5')).toBe(true);
    expect(isBoxPrefix('[0.50, 0.40, 0.50')).toBe(false);
    expect(isBoxPrefix('[0.9')).toBe(true);
    expect(isBoxPrefix('[0.99')).toBe(false);
  });

  it('offers exactly the characters that keep a valid box', () => {
    expect(nextBoxCharacters('')).toEqual(['[']);
    expect(nextBoxCharacters('[0.')).toEqual([...'0123456789']);
    expect(nextBoxCharacters('[0.9')).toEqual([...'012345678']);
    expect(nextBoxCharacters('[0.50, 0.40, 0.')).toEqual([...'56789']);
    expect(nextBoxCharacters('[0.50, 0.40, 0.5')).toEqual([...'123456789']);
    expect(nextBoxCharacters('[0.12, 0.40, 0.55, 0.93')).toEqual([']']);
    expect(nextBoxCharacters('[0.12, 0.40, 0.55, 0.93]')).toEqual([]);
  });

  it('only ever completes to boxes parseBox draws (every random walk)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let walk = 0; walk < 200; walk++) {
      let text = '';
      for (let next = nextBoxCharacters(text); next.length > 0; next = nextBoxCharacters(text)) {
        text += next[Math.floor(random() * next.length)]!;
      }
      expect(parseBox(text).kind, text).toBe('box');
    }
  });
});

describe('isWhereQuestion', () => {
  it('spots questions about where a problem is', () => {
    for (const q of [
      'Where is the blur?',
      'where is it noisy',
      'Which part is overexposed?',
      'Which areas are too dark?',
      'Show me the noisy area',
      'Can you point out the blurry region?',
    ]) {
      expect(isWhereQuestion(q), q).toBe(true);
    }
  });

  it('leaves other questions alone', () => {
    for (const q of [
      'Is the image blurry?',
      'How is the exposure?',
      'Which distortion is most severe?',
      'Why is it noisy, and how could I shoot it better?',
      'Which edit would help most?',
    ]) {
      expect(isWhereQuestion(q), q).toBe(false);
    }
  });
});

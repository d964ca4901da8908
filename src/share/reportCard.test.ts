import { describe, expect, it } from 'vitest';
import { drawReportCard, SCORE_BOX, topMeasures, wrapLines } from './reportCard.ts';
import { sampleResult } from './sampleResult.ts';

/** Every character 10 px wide. */
const width = (s: string) => s.length * 10;

describe('wrapLines', () => {
  it('fills lines greedily and keeps every word when it fits', () => {
    expect(wrapLines('aa bb cc dd', 50, 3, width)).toEqual(['aa bb', 'cc dd']);
  });

  it('ends the last line with an ellipsis when text is left over', () => {
    const lines = wrapLines('one two three four five six seven', 90, 2, width);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('one two');
    expect(lines[1]!.endsWith('…')).toBe(true);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(90);
  });

  it('turns newlines into spaces and cuts a word wider than the line', () => {
    expect(wrapLines('a\n\nb', 100, 2, width)).toEqual(['a b']);
    const [line] = wrapLines('x'.repeat(30), 100, 1, width);
    expect(width(line!)).toBeLessThanOrEqual(100);
  });
});

describe('topMeasures', () => {
  it('puts the weakest first and skips unmeasured ones', () => {
    const keys = topMeasures(sampleResult().measures, 4).map((m) => m.key);
    // sample: exposure good, sharpness poor, noise unknown.
    expect(keys).toEqual(['sharpness', 'exposure']);
  });
});

describe('drawReportCard', () => {
  it('draws the score inside SCORE_BOX and every level percentage', () => {
    const texts: { text: string; x: number; y: number }[] = [];
    const ctx = new Proxy(
      {
        fillText: (text: string, x: number, y: number) => texts.push({ text, x, y }),
        measureText: (s: string) => ({ width: width(s) }),
      } as Record<string, unknown>,
      { get: (target, key) => target[key as string] ?? (() => undefined), set: () => true },
    ) as unknown as CanvasRenderingContext2D;
    drawReportCard(ctx, sampleResult(), null);
    const score = texts.find((t) => t.text === '3.35')!;
    expect(score.x).toBeGreaterThanOrEqual(SCORE_BOX.x);
    expect(score.y).toBeGreaterThan(SCORE_BOX.y);
    expect(score.y).toBeLessThan(SCORE_BOX.y + SCORE_BOX.height);
    const all = texts.map((t) => t.text);
    // 3.35 is nearest to Fair (3), although Good is the most probable level (40 %).
    expect(all).toContain('59 / 100 · Fair');
    for (const p of ['10.0%', '40.0%', '30.0%', '15.0%', '5.0%']) expect(all).toContain(p);
    expect(all).toContain('photo not included');
    expect(all.some((t) => t.startsWith('llava-hf/llava-onevision-qwen2-0.5b-ov-hf · q8'))).toBe(
      true,
    );
  });
});

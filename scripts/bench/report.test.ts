import { describe, expect, it } from 'vitest';
import type { SessionRun } from '../../src/bench/protocol.ts';
import { missingFigures, overheadParts, type BenchReport, type Figure } from './report.ts';
import { summarise } from './stats.ts';

const run = (session: string, start: number, ms: number): SessionRun => ({
  kind: 'run',
  session,
  start,
  ms,
});

describe('overheadParts', () => {
  it('splits the time outside onnxruntime runs into named parts that add up', () => {
    const records: SessionRun[] = [
      { kind: 'stage', session: 'image_processor', start: 120, ms: 30 },
      run('vision_encoder', 200, 500),
      run('embed_tokens', 720, 10),
      run('decoder_model_merged', 740, 1000),
    ];
    const parts = overheadParts(records, 100, 1800);
    expect(parts['image processor (resize to the model size, normalise)']).toBe(30);
    expect(
      parts['other work before the first run (bitmap copy, messages, drawing the photo)'],
    ).toBe(70);
    expect(parts['between vision_encoder→embed_tokens (prompt text and tokenizer)']).toBe(20);
    expect(
      parts[
        'between embed_tokens→decoder_model_merged (image features merged into the embeddings)'
      ],
    ).toBe(10);
    expect(parts['after the last run (logits slice, level softmax, result message)']).toBe(60);
    const outside = Object.values(parts).reduce((a, b) => a + b, 0);
    expect(outside + 500 + 10 + 1000).toBe(1800 - 100);
  });
});

describe('missingFigures', () => {
  const figure = (values: number[]): Figure => ({
    section: 'model',
    name: 'load',
    unit: 's',
    model: 'fixture',
    precision: 'q4',
    backend: 'WASM',
    summary: summarise(values),
  });
  const report = (figures: Figure[]) => ({ figures }) as unknown as BenchReport;

  it('accepts finite figures and names empty or non-finite ones', () => {
    expect(missingFigures(report([figure([1, 2])]))).toEqual([]);
    expect(missingFigures(report([figure([])]))).toHaveLength(1);
    expect(missingFigures(report([figure([1, Infinity])]))).toHaveLength(1);
    expect(missingFigures(report([figure([NaN])]))).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { scoreFromLevelLogits } from '../model/scoring.ts';
import type { Measure, PixelAnalysis } from '../pixels/protocol.ts';
import { decodeSharedFragment, encodeSharedResult } from './link.ts';
import {
  sharedResultFrom,
  type ChatInput,
  type ScoreInput,
  type ShareChoices,
} from './fromResult.ts';

type Status = 'waiting' | 'streaming' | 'done' | 'stopped' | 'failed';
import { SAMPLE_THUMBNAIL } from './sampleResult.ts';

const scored: ScoreInput = {
  status: 'done',
  result: {
    ...scoreFromLevelLogits([1, 3, 2, 0, -1]),
    recipe: 'Q-SiT',
  },
  by: {
    modelId: 'org/model',
    device: 'webgpu',
    dtypes: { vision_encoder: 'fp16', embed_tokens: 'q4f16', decoder_model_merged: 'q4f16' },
  },
};

const text = (status: Status, value: string) => ({ status, text: value });

const exchange = (id: string, status: Status, answer: string) => ({
  id,
  question: `Question ${id}?`,
  answer: text(status, answer),
});

const chat: ChatInput = {
  description: text('done', 'Sharp and clean.'),
  exchanges: [
    exchange('a', 'done', 'Yes.'),
    exchange('b', 'streaming', 'Half'),
    exchange('c', 'stopped', 'Stopped here'),
  ],
};

const measure = (value: number): Measure => ({
  value,
  unit: 'EV',
  verdict: 'good',
  reading: 'Fine.',
});
const analysis: Pick<PixelAnalysis, 'measures'> = {
  measures: {
    highlightClipping: measure(0.01),
    shadowClipping: measure(0),
    exposure: measure(-0.3),
    contrast: measure(0.5),
    colourfulness: measure(40),
    sharpness: measure(NaN),
    noise: measure(2),
    blockiness: measure(0.1),
    resolution: measure(12),
  },
};

const all: ShareChoices = {
  description: true,
  exchangeIds: new Set(['a', 'b', 'c']),
  measures: true,
  thumbnail: null,
};

describe('sharedResultFrom', () => {
  it('carries the score, model and ticked finished exchanges, and round-trips', async () => {
    const result = sharedResultFrom(scored, chat, { status: 'ready', analysis }, all)!;
    expect(result.score).toBe(scored.result!.score);
    expect(result.probabilities).toEqual(scored.result!.probabilities);
    expect(result).toMatchObject({ model: 'org/model', device: 'webgpu', recipe: 'Q-SiT' });
    expect(result.description).toBe('Sharp and clean.');
    // The streaming answer is not shared; the stopped one keeps what it said.
    expect(result.exchanges.map((e) => e.answer)).toEqual(['Yes.', 'Stopped here']);
    expect(result.measures).toHaveLength(9);
    expect(result.measures.find((m) => m.key === 'sharpness')!.value).toBeNull();
    expect(result.thumbnail).toBeUndefined();
    const decoded = await decodeSharedFragment(`#r=${await encodeSharedResult(result)}`);
    expect(decoded).toEqual({ ok: true, value: result });
  });

  it('leaves out what was not chosen', () => {
    const result = sharedResultFrom(
      scored,
      chat,
      { status: 'ready', analysis },
      {
        description: false,
        exchangeIds: new Set(),
        measures: false,
        thumbnail: SAMPLE_THUMBNAIL,
      },
    )!;
    expect(result.description).toBeUndefined();
    expect(result.exchanges).toEqual([]);
    expect(result.measures).toEqual([]);
    expect(result.thumbnail).toBe(SAMPLE_THUMBNAIL);
  });

  it('is null before the score, and trims long text to the format’s caps', async () => {
    expect(sharedResultFrom({ status: 'scoring' }, chat, undefined, all)).toBeNull();
    const long = { ...chat, description: text('done', 'x'.repeat(10_000)) };
    const result = sharedResultFrom(scored, long, undefined, all)!;
    expect(result.description).toHaveLength(6000);
    expect(result.description!.endsWith('…')).toBe(true);
    await expect(encodeSharedResult(result)).resolves.toMatch(/^1\./);
  });
});

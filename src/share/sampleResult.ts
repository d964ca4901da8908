/**
 * A complete shared result with hand-picked values, for unit tests and the e2e journey's crafted
 * links (the expected values there come from here, not from the app's own output).
 */
import type { SharedResult } from './payload.ts';

/** A real 12×8 JPEG (made once with sharp), small enough to pass the thumbnail checks. */
export const SAMPLE_THUMBNAIL =
  'data:image/jpeg;base64,/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAwDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABf/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKABiz//2Q==';

/** p = .1 .4 .3 .15 .05 → S = .5 + 1.6 + .9 + .3 + .05 = 3.35, 58.75 / 100. */
export function sampleResult(change: Partial<SharedResult> = {}): SharedResult {
  return {
    v: 1,
    score: 3.35,
    probabilities: [0.1, 0.4, 0.3, 0.15, 0.05],
    model: 'llava-hf/llava-onevision-qwen2-0.5b-ov-hf',
    device: 'wasm',
    dtypes: { vision_encoder: 'q8', embed_tokens: 'q8', decoder_model_merged: 'q8' },
    mode: 'single-crop',
    recipe: 'Q-SiT',
    description:
      'Clarity: the subject is sharp.\nNoise: slight grain in the sky.\n\nOverall the quality is good.',
    exchanges: [
      {
        question: 'Is the horizon level?',
        answer: 'Yes',
        confidence: [
          { word: 'Yes', probability: 0.8 },
          { word: 'No', probability: 0.2 },
        ],
      },
      { question: 'How could it be shot better?', answer: 'Use a lower ISO.' },
    ],
    measures: [
      {
        key: 'exposure',
        value: -0.4,
        unit: 'EV',
        verdict: 'good',
        reading: 'Well exposed.',
      },
      {
        key: 'sharpness',
        value: 3.2,
        unit: '',
        verdict: 'poor',
        reading: 'Soft: fine detail is missing everywhere.',
      },
      { key: 'noise', value: null, unit: 'σ', verdict: 'unknown', reading: 'Could not measure.' },
    ],
    ...change,
  };
}

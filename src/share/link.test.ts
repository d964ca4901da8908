import { describe, expect, it } from 'vitest';
import {
  decodeSharedFragment,
  encodeSharedResult,
  MAX_FRAGMENT_CHARS,
  MAX_UNPACKED_BYTES,
  packFragment,
  sharedLink,
} from './link.ts';
import type { SharedResult } from './payload.ts';
import { SAMPLE_THUMBNAIL, sampleResult } from './sampleResult.ts';

/**
 * A link written by format 1 on 2026-11-29 from `sampleResult({ thumbnail: SAMPLE_THUMBNAIL })`.
 * Frozen: it must open in every later version. Never regenerate it.
 */
const FROZEN_V1 =
  '#r=1.pVPbbuM2EP0VYp5lSVacItFiUVC24qZtYstOspvdLAJaGku0aVIhdbET-Kkf2F8qKKfJGs1bBQgS5wzPGZ4ZvkADYd8BkyqNEJ64J6cOlFot2IILXnE0EH733b7juwPHd08c3-2fOr7rn_5wYKMyFBCCEKxhvWLpHX6UxIYbrmTvqUUZ9Hz3dNFTTa9YggMZNjxFCKFlZmPX1a60Ii9w2POIMlUZagjh6QwcwM0Cs8dKrVGaf2MZdimPnf7jBnWO2QHbH4qCEAyXucBeqlUJDmhMeWnDSW_ObzoKk2peVlxJCGEomObVLiRVgcTUixWmFeGGmILp0n2Q14obDIkRPC8qkmvGJeHykL3euQ_yQU4a1EyILvZUM8GrnWXIlcpce4xtWjCZd3a-wFON5lX60nRbCqX5s5JEYIPiV3CASdN2LtyjAQdSJZc8Q2mt-_4CrdLZG_berh2Evnu2d94SrtV_8WD_w2b8VMNvqiWpqkVGeEUWSEyh7LeqUB-VcmuQMCJUi5pczicu7O0QIDO1fj3YGncQAm5LZWPgQMNEjRD27PhALXkFIcR3FkCd8dQurUVdi1jGZQ4hfEEhSMeBmQu21gNt1w2JxrzznrjBG-0RaamUPiKdq2UVkiWXSDKsGBe2Oxtu7JwQbFDv2gI1_qwnbdfftWQtxJvY338dydVyLVUrjxSHnaNSVeTVooNfVVFvFpJxe3EyVrGQb1iO3qrE_NOCGfxl4HjnKy9ooxGN6J8jOrgaFnQySgbzeEZvxsOcjaP7L-NRvPp95qvJ6up8Olo_T0YZnV9sJ0k8-zq7SQe34_7srn_OvwWFnK77W_warfFiK74F0wP3LJ7HRX43Hp6xMT9fJatieB9cr_7fO_VaSmdDSi8pbUd0fklpEUd0G0feWUIvEhrRhH7wTL0tpbcxjT8CabeXxtFHWLT0Yhols495R16Q0yvaxraOUZxQj_5BI_7seUHy-TPs_wE';

async function roundTrip(result: SharedResult) {
  return decodeSharedFragment(`#r=${await encodeSharedResult(result)}`);
}

/** Packs arbitrary JSON as a format-1 link, skipping the encoder's own checks. */
async function crafted(value: unknown, format = 1) {
  return decodeSharedFragment(`#r=${await packFragment(JSON.stringify(value), format)}`);
}

async function problemOf(hash: string | Promise<Awaited<ReturnType<typeof crafted>>>) {
  const decoded = typeof hash === 'string' ? await decodeSharedFragment(hash) : await hash;
  if (decoded.ok) throw new Error('expected the link to be refused');
  return decoded.problem;
}

describe('shared links', () => {
  it('round-trips a full result, thumbnail included', async () => {
    const full = sampleResult({ thumbnail: SAMPLE_THUMBNAIL });
    expect(await roundTrip(full)).toEqual({ ok: true, value: full });
  });

  it('round-trips a minimal result (no description, exchanges, measures or thumbnail)', async () => {
    const minimal = sampleResult({ exchanges: [], measures: [] });
    delete minimal.description;
    expect(await roundTrip(minimal)).toEqual({ ok: true, value: minimal });
  });

  it('opens the frozen format-1 link with every field as written', async () => {
    const decoded = await decodeSharedFragment(FROZEN_V1);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const r = decoded.value;
    // The values written out, not read from sampleResult, so a change there cannot hide a break.
    expect(r.score).toBe(3.35);
    expect(r.probabilities).toEqual([0.1, 0.4, 0.3, 0.15, 0.05]);
    expect(r.model).toBe('llava-hf/llava-onevision-qwen2-0.5b-ov-hf');
    expect(r.device).toBe('wasm');
    expect(r.dtypes).toEqual({
      vision_encoder: 'q8',
      embed_tokens: 'q8',
      decoder_model_merged: 'q8',
    });
    expect(r.mode).toBe('single-crop');
    expect(r.recipe).toBe('Q-SiT');
    expect(r.description).toMatch(/^Clarity: the subject is sharp\./);
    expect(r.exchanges.map((e) => e.question)).toEqual([
      'Is the horizon level?',
      'How could it be shot better?',
    ]);
    expect(r.exchanges[0]!.confidence).toEqual([
      { word: 'Yes', probability: 0.8 },
      { word: 'No', probability: 0.2 },
    ]);
    expect(r.measures.map((m) => [m.key, m.value])).toEqual([
      ['exposure', -0.4],
      ['sharpness', 3.2],
      ['noise', null],
    ]);
    expect(r.thumbnail).toMatch(/^data:image\/jpeg;base64,\/9j\//);
  });

  it('keeps links small: no photo bytes unless the thumbnail is chosen', async () => {
    const plain = await encodeSharedResult(sampleResult());
    const withThumb = await encodeSharedResult(sampleResult({ thumbnail: SAMPLE_THUMBNAIL }));
    expect(plain.length).toBeLessThan(1000);
    expect(withThumb.length).toBeGreaterThan(plain.length);
  });

  it('builds the link on the app address, replacing any fragment and keeping the query', () => {
    expect(sharedLink('https://lens.example/app/?model=local:q#old', '1.abc')).toBe(
      'https://lens.example/app/?model=local:q#r=1.abc',
    );
  });

  it('refuses to encode an invalid result', async () => {
    await expect(encodeSharedResult(sampleResult({ score: 9 }))).rejects.toThrow(/outside/);
  });
});

describe('damaged and hostile links get a sentence, not a view', () => {
  it('garbage, a missing format number, and bad characters', async () => {
    expect(await problemOf('#r=hello')).toMatch(/does not hold a Quality Lens result/);
    expect(await problemOf('#r=')).toMatch(/does not hold a Quality Lens result/);
    expect(await problemOf('#r=1.!!!!')).toMatch(/damaged or incomplete/);
    expect(await problemOf('#r=1.')).toMatch(/damaged or incomplete/);
    // Valid base64url, but not deflate data.
    expect(await problemOf('#r=1.AAAAAAAAAAAAAAAA')).toMatch(/damaged or incomplete/);
  });

  it('a link cut off when copied', async () => {
    for (const keep of [0.5, 0.9, 0.99]) {
      const cut = FROZEN_V1.slice(0, Math.floor(FROZEN_V1.length * keep));
      expect(await problemOf(cut)).toMatch(/damaged or incomplete/);
    }
  });

  it('an unknown future format, and format 0', async () => {
    expect(await problemOf(crafted(sampleResult(), 2))).toMatch(
      /newer version of Quality Lens \(result format 2\)/,
    );
    expect(await problemOf('#r=99.abcd')).toMatch(/newer version/);
    expect(await problemOf(crafted(sampleResult(), 0))).toMatch(/format 0 does not exist/);
    // A format-1 envelope around data claiming another format.
    expect(await problemOf(crafted({ ...sampleResult(), v: 2 }))).toMatch(/wrong format number/);
  });

  it('JSON that is not an object, and data that is not UTF-8 or JSON', async () => {
    expect(await problemOf(crafted([1, 2, 3]))).toMatch(/not an object/);
    expect(await problemOf(crafted(null))).toMatch(/not an object/);
    expect(await problemOf(`#r=${await packFragment('{"v":1,', 1)}`)).toMatch(/damaged/);
  });

  it('wrong types', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ score: '3.35' }, /score is not a number/],
      [{ probabilities: '0.1,0.4' }, /probabilities is not a list/],
      [{ probabilities: [0.5, 0.5] }, /not 5 numbers/],
      [{ model: 42 }, /model name is not text/],
      [{ model: '' }, /model name is empty/],
      [{ device: 'cuda' }, /backend is not one this version knows/],
      [{ dtypes: { vision_encoder: 'q8' } }, /precision of embed_tokens/],
      [{ dtypes: 'q8' }, /precision is not an object/],
      [{ mode: 'anyres' }, /image mode/],
      [{ exchanges: {} }, /shared questions is not a list/],
      [{ exchanges: [{ question: 'Why?', answer: 7 }] }, /answer to question 1 is not text/],
      [
        { measures: [{ key: 'constructor', value: 1, unit: '', verdict: 'good', reading: '' }] },
        /name is not one/,
      ],
      [
        { measures: [{ key: 'noise', value: '1', unit: '', verdict: 'good', reading: '' }] },
        /value is not a number/,
      ],
      [{ description: ['a'] }, /description is not text/],
      [{ thumbnail: 12 }, /thumbnail is not text/],
    ];
    for (const [change, message] of cases) {
      expect(
        await problemOf(crafted({ ...sampleResult(), ...change })),
        JSON.stringify(change),
      ).toMatch(message);
    }
  });

  it('non-finite and out-of-range numbers, and probabilities that are not a distribution', async () => {
    // JSON cannot carry NaN; 1e999 parses to Infinity and null stands where NaN was.
    expect(
      await problemOf(
        `#r=${await packFragment(JSON.stringify(sampleResult()).replace('"score":3.35', '"score":1e999'), 1)}`,
      ),
    ).toMatch(/score is not a number/);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ score: null }, /score is not a number/],
      [{ score: 7 }, /score is outside 1–5/],
      [{ score: 0 }, /score is outside 1–5/],
      [{ probabilities: [1.5, -0.5, 0, 0, 0], score: 5.5 }, /outside 0–1/],
      [{ probabilities: [0.2, 0.2, 0.2, 0.2, 0.1] }, /add up to 0.900, not 1/],
      [{ probabilities: [null, 0.4, 0.3, 0.15, 0.05] }, /probabilities 1 is not a number/],
      [{ score: 4.9 }, /does not follow from the level probabilities \(3.35\)/],
      [
        {
          exchanges: [
            {
              question: 'Sharp?',
              answer: 'Yes',
              confidence: [
                { word: 'Yes', probability: 0.9 },
                { word: 'No', probability: 0.9 },
              ],
            },
          ],
        },
        /confidence probabilities of answer 1 add up to 1.800/,
      ],
      [
        { measures: [{ key: 'noise', value: 1e12, unit: '', verdict: 'good', reading: '' }] },
        /outside/,
      ],
    ];
    for (const [change, message] of cases) {
      expect(
        await problemOf(crafted({ ...sampleResult(), ...change })),
        JSON.stringify(change),
      ).toMatch(message);
    }
  });

  it('unknown fields, including prototype keys, are refused', async () => {
    expect(await problemOf(crafted({ ...sampleResult(), html: '<b>hi</b>' }))).toMatch(
      /field this version does not know/,
    );
    const proto = JSON.stringify(sampleResult()).replace('{', '{"__proto__":{"polluted":1},');
    expect(await problemOf(`#r=${await packFragment(proto, 1)}`)).toMatch(/does not know/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      await problemOf(
        crafted({ ...sampleResult(), exchanges: [{ question: 'a', answer: 'b', onclick: 'x' }] }),
      ),
    ).toMatch(/does not know/);
  });

  it('script and HTML in text fields stay plain text (rendering is React text only)', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const decoded = await crafted({
      ...sampleResult(),
      description: hostile,
      model: hostile,
      exchanges: [{ question: hostile, answer: hostile }],
    });
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.value.description).toBe(hostile);
  });

  it('thumbnails: only a small, complete JPEG data URL', async () => {
    const jpegBase64 = SAMPLE_THUMBNAIL.split(',')[1]!;
    const cases: [string, RegExp][] = [
      ['javascript:alert(1)', /not a JPEG data URL/],
      [`data:image/png;base64,${jpegBase64}`, /not a JPEG data URL/],
      [`data:image/svg+xml;base64,${btoa('<svg onload="alert(1)"/>')}`, /not a JPEG data URL/],
      ['data:image/jpeg;base64,@@@@', /damaged/],
      [`data:image/jpeg;base64,${btoa('GIF89a not a jpeg')}`, /not a complete JPEG/],
      // The first half of a real JPEG: starts right, has no end marker.
      [`data:image/jpeg;base64,${jpegBase64.slice(0, 200)}`, /not a complete JPEG/],
      [`data:image/jpeg;base64,${'A'.repeat(9000)}`, /longer than 8192/],
    ];
    for (const [thumbnail, message] of cases) {
      expect(
        await problemOf(crafted({ ...sampleResult(), thumbnail })),
        thumbnail.slice(0, 40),
      ).toMatch(message);
    }
  });

  it('text longer than its cap, and too many entries', async () => {
    expect(await problemOf(crafted({ ...sampleResult(), description: 'a'.repeat(6001) }))).toMatch(
      /description is longer than 6000/,
    );
    const many = Array.from({ length: 21 }, () => ({ question: 'q', answer: 'a' }));
    expect(await problemOf(crafted({ ...sampleResult(), exchanges: many }))).toMatch(
      /more than 20/,
    );
    const noise = { key: 'noise', value: 1, unit: '', verdict: 'good', reading: '' };
    expect(await problemOf(crafted({ ...sampleResult(), measures: [noise, noise] }))).toMatch(
      /repeats “noise”/,
    );
  });

  it('size caps: a fragment over 64 KB is refused before unpacking, and so is a zip bomb', async () => {
    const long = `#r=1.${'A'.repeat(MAX_FRAGMENT_CHARS)}`;
    expect(await problemOf(long)).toMatch(/too long to be a shared result \(64 KB/);
    // 10 MB of spaces packs into a few kB of fragment but must not be unpacked whole.
    const bomb = await packFragment(' '.repeat(10 * 1024 * 1024), 1);
    expect(bomb.length).toBeLessThan(MAX_FRAGMENT_CHARS);
    expect(await problemOf(`#r=${bomb}`)).toMatch(
      new RegExp(`more than ${MAX_UNPACKED_BYTES / 1024} KB`),
    );
    // Just under the unpacked cap is still read (and then refused by the validator as not JSON).
    const justUnder = await packFragment(' '.repeat(MAX_UNPACKED_BYTES - 10), 1);
    expect(await problemOf(`#r=${justUnder}`)).toMatch(/damaged/);
  });
});

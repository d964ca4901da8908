/**
 * Grounded answers: "where is the blur?" answered with a box on the photo. The box is asked for in
 * the form LLaVA-1.5's grounding data (RefCOCO, Visual Genome) taught the LLaVA family, which
 * LLaVA-OneVision's training mixture carries on: `[x1, y1, x2, y2]`, each a fraction of the image's
 * width or height written with two decimals. This module holds the prompts, a strict reader of
 * such an answer (a box is drawn only when the answer names exactly one, in range, with its
 * corners in order) and the character grammar the worker's constrained decoding keeps to.
 */

/** A region as fractions of the photo's width (x) and height (y), top-left to bottom-right. */
export interface RegionBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Why an answer gave no box to draw. */
export type NoBoxReason =
  | 'no-box'
  | 'several-boxes'
  | 'wrong-count'
  | 'not-numbers'
  | 'pixels'
  | 'out-of-range'
  | 'reversed'
  | 'too-long';

/** What an answer says about a region: one box to draw, or why none is drawn. */
export type BoxReading =
  { kind: 'box'; box: RegionBox } | { kind: 'none'; reason: NoBoxReason; message: string };

/** How sure the model was of a box it was made to write in the coordinate format. */
export interface BoxConfidence {
  /**
   * The product of the probabilities the unconstrained model gave each chosen token: how likely
   * the model was to write exactly this box text by itself.
   */
  joint: number;
  /** The same per token (geometric mean), comparable across boxes of any length. */
  perToken: number;
  /** The mean, over steps, of the probability the model put on any token the format allowed. */
  formatMass: number;
  /** Tokens chosen. */
  tokens: number;
}

/** A box asked for with constrained decoding (the attribute panel's "Show on photo"). */
export interface LocatedRegion {
  /** The answer the constrained decoding wrote, e.g. `[0.12, 0.40, 0.55, 0.93]`. */
  text: string;
  reading: BoxReading;
  confidence: BoxConfidence;
  ms: number;
}

/** Longer answers are not searched for a box (nothing the model writes for this is that long). */
const MAX_ANSWER_CHARS = 4000;

/**
 * LLaVA-1.5's referring-expression prompt (its RefCOCO training conversations), which asks for
 * the normalised box of the region a phrase describes.
 */
export function regionPrompt(phrase: string): string {
  return `Please provide the bounding box coordinate of the region this sentence describes: ${phrase}.`;
}

/** The same request added to a question the person typed ("Where is the blur?"). */
export function whereQuestionPrompt(question: string): string {
  return `${question.trim()}\nAnswer with the bounding box coordinate of that region, [x1, y1, x2, y2], as fractions of the image from 0 to 1.`;
}

/** What each attribute row's "Show on photo" asks the model to find. */
export const ATTRIBUTE_REGIONS = {
  sharpness: 'the blurriest part of the image',
  noise: 'the noisiest part of the image',
  exposure: 'the most poorly exposed part of the image',
  colour: 'the part of the image with the worst colour',
  contrast: 'the part of the image with the weakest contrast',
  compression: 'the part of the image with the most visible compression artefacts',
  composition: 'the main subject of the image',
} as const;

/**
 * Whether a question asks where something is: "where is the blur?", "which part is
 * overexposed?", "show me the noisy area". Plain word patterns, no model call.
 */
export function isWhereQuestion(question: string): boolean {
  const text = question.toLowerCase();
  return (
    /\bwhere\b/.test(text) ||
    /\bwhich (?:part|area|region|section|corner|side|bit|spot|portion)s?\b/.test(text) ||
    /\b(?:locate|point (?:at|to|out)|show me|mark|box)\b.*\b(?:blur|nois|grain|expos|dark|bright|artefact|artifact|soft|focus|problem|flaw)/.test(
      text,
    )
  );
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

const none = (reason: NoBoxReason, message: string): BoxReading => ({
  kind: 'none',
  reason,
  message,
});

/**
 * Reads an answer strictly: it must contain exactly one bracketed list of exactly four plain
 * decimal numbers, each from 0 to 1, with x1 < x2 and y1 < y2, and no further number right after
 * it. Words around the box are allowed ("The blur is at [0.10, 0.20, 0.45, 0.60]."); anything else
 * is no box, with the reason in words. Pixel coordinates are refused rather than guessed at.
 */
export function parseBox(answer: string): BoxReading {
  if (answer.length > MAX_ANSWER_CHARS) {
    return none('too-long', 'The answer is too long to be read as one box.');
  }
  const groups = [...answer.matchAll(/\[([^[\]]*)\]/g)].filter((m) => /\d/.test(m[1]!));
  if (groups.length === 0) {
    return none('no-box', 'The answer has no coordinates in the form [x1, y1, x2, y2].');
  }
  if (groups.length > 1) {
    return none(
      'several-boxes',
      `The answer gives ${groups.length} coordinate lists; a box is drawn only when it names one.`,
    );
  }
  const group = groups[0]!;
  const after = answer.slice(group.index! + group[0].length);
  if (/^\s*,?\s*[+-]?\.?\d/.test(after)) {
    return none('wrong-count', 'The answer goes on with more numbers after its box.');
  }
  const parts = group[1]!.split(',').map((part) => part.trim());
  if (parts.length !== 4) {
    return none(
      'wrong-count',
      `The answer's box has ${parts.length} values; a box needs exactly four (x1, y1, x2, y2).`,
    );
  }
  if (!parts.every((part) => NUMBER.test(part))) {
    return none('not-numbers', 'The answer’s box holds something other than plain numbers.');
  }
  const [x1, y1, x2, y2] = parts.map(Number) as [number, number, number, number];
  const values = [x1, y1, x2, y2];
  if (values.some((v) => v > 1) && values.every((v) => v >= 0 && Number.isInteger(v))) {
    return none(
      'pixels',
      'The answer gives pixel coordinates, not fractions of the photo from 0 to 1; the app does not guess which image size they refer to.',
    );
  }
  if (values.some((v) => v < 0 || v > 1)) {
    return none('out-of-range', 'The answer’s coordinates fall outside the photo (0 to 1).');
  }
  if (!(x1 < x2 && y1 < y2)) {
    return none(
      'reversed',
      'The answer’s corners are reversed or enclose nothing (x1 must be less than x2, y1 less than y2).',
    );
  }
  return { kind: 'box', box: { x1, y1, x2, y2 } };
}

/**
 * The coordinate grammar the constrained decoding writes: `#` is one digit. Two decimals, as the
 * LLaVA-1.5 grounding data; values run 0.00–0.99.
 */
export const BOX_TEMPLATE = '[0.##, 0.##, 0.##, 0.##]';

/** Every character the grammar can write (each is one token in Qwen2's vocabulary). */
export const BOX_ALPHABET: readonly string[] = [
  ...new Set(BOX_TEMPLATE.replace(/#/g, '').split('')),
  ...'0123456789',
].filter((c, i, all) => all.indexOf(c) === i);

/** Positions of each number's two digits in the template. */
const DIGIT_SLOTS: number[][] = (() => {
  const slots: number[][] = [];
  for (let i = 0; i < BOX_TEMPLATE.length; i++) {
    if (BOX_TEMPLATE[i] !== '#') continue;
    if (BOX_TEMPLATE[i - 1] !== '#') slots.push([]);
    slots[slots.length - 1]!.push(i);
  }
  return slots;
})();

/**
 * Whether `text` begins some complete box of the grammar: every character where the template
 * allows it, and the corners still able to come out in order (x1 < x2, y1 < y2).
 */
export function isBoxPrefix(text: string): boolean {
  if (text.length > BOX_TEMPLATE.length) return false;
  for (let i = 0; i < text.length; i++) {
    const want = BOX_TEMPLATE[i]!;
    const got = text[i]!;
    if (want === '#' ? !(got >= '0' && got <= '9') : got !== want) return false;
  }
  // The smallest and largest hundredths each number can still become.
  const bounds = DIGIT_SLOTS.map((slot) => {
    const known = slot.map((i) => (i < text.length ? text[i]! : null));
    const low = Number(known.map((d) => d ?? '0').join(''));
    const high = Number(known.map((d) => d ?? '9').join(''));
    return { low, high };
  });
  const [x1, y1, x2, y2] = bounds as [
    (typeof bounds)[0],
    (typeof bounds)[0],
    (typeof bounds)[0],
    (typeof bounds)[0],
  ];
  return x1.low < x2.high && y1.low < y2.high;
}

/** The characters that may follow `text` in the grammar (none once the box is complete). */
export function nextBoxCharacters(text: string): string[] {
  return BOX_ALPHABET.filter((c) => isBoxPrefix(text + c));
}

/** Formats a box the way the model writes one. */
export function formatBox(box: RegionBox): string {
  return `[${[box.x1, box.y1, box.x2, box.y2].map((v) => v.toFixed(2)).join(', ')}]`;
}

/**
 * The photographer's own verdict on a photo, as culling tools and editors keep it: a flag (pick or
 * reject), 0–5 stars and a colour label. These always win over the app's suggestions, and they are
 * what the hand-back to the editor writes (xmp:Rating, xmp:Label).
 */

export type Flag = 'pick' | 'reject' | null;

/** Lightroom's default label set and darktable's names (the words written to xmp:Label). */
export const COLOR_LABELS = ['Red', 'Yellow', 'Green', 'Blue', 'Purple'] as const;
export type ColorLabel = (typeof COLOR_LABELS)[number];

export type Stars = 0 | 1 | 2 | 3 | 4 | 5;

export interface CullMarks {
  flag: Flag;
  stars: Stars;
  label: ColorLabel | null;
}

export const NO_MARKS: CullMarks = Object.freeze({ flag: null, stars: 0, label: null });

/**
 * xmp:Rating as Lightroom, Bridge and darktable read it: −1 for a rejected photo, else the stars
 * (0 = unrated). A pick has no rating of its own in XMP; it keeps its stars.
 */
export function xmpRating(marks: CullMarks): number {
  return marks.flag === 'reject' ? -1 : marks.stars;
}

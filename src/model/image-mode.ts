/**
 * How the model sees a photo. "Fast" is one 384 × 384 crop (729 image tokens), what transformers.js
 * does; "Reference" is LLaVA-OneVision's anyres, what Hugging Face transformers (and so Q-SiT's
 * own evaluation) does: the whole picture plus the tiles of its best grid, 1 000–7 500 tokens.
 */
export type ImageMode = 'fast' | 'reference';

export const IMAGE_MODES: readonly ImageMode[] = ['fast', 'reference'];

/** The mode's name as the UI shows it. */
export const IMAGE_MODE_LABELS: Record<ImageMode, string> = {
  fast: 'Fast (single crop)',
  reference: 'Reference (anyres)',
};

/** `fast` | `reference` from a URL parameter or stored setting; null when it is neither. */
export function parseImageMode(value: string | null | undefined): ImageMode | null {
  return value === 'fast' || value === 'reference' ? value : null;
}

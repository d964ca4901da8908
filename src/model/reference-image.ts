/**
 * The reference image mode's pixel_values: what transformers' LlavaOnevisionImageProcessor makes of
 * one picture. The base image is the whole picture resized to tile × tile (aspect not kept); the
 * picture is also resized to fit its best grid pinpoint (aspect kept), centred on a black canvas of
 * the pinpoint's size and cut into tiles, row by row. Every resize is Pillow's bicubic
 * (pil-resize.ts); then each value is rescaled by 1/255 and normalised ((x − mean) / std).
 */
import { anyresLayout, type AnyresGeometry, type AnyresLayout } from './anyres.ts';
import { resizeBicubicPil } from './pil-resize.ts';

/** An 8-bit picture: `channels` interleaved values per pixel (RGB or RGBA; alpha is dropped). */
export interface Picture {
  data: ArrayLike<number>;
  width: number;
  height: number;
  channels: number;
}

/** The processor's rescale and normalisation (preprocessor_config.json). */
export interface PixelNormalisation {
  rescaleFactor: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** SigLIP's values, which LLaVA-OneVision's preprocessor_config.json carries. */
export const SIGLIP_NORMALISATION: PixelNormalisation = {
  rescaleFactor: 1 / 255,
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
};

/** pixel_values [imageCount, 3, tile, tile] (channels first) and the layout they follow. */
export interface ReferencePixels {
  pixelValues: Float32Array;
  layout: AnyresLayout;
}

/** The 8-bit RGB images the processor normalises: base image, then tiles (tile × tile each). */
export function referenceImages(picture: Picture, geometry: AnyresGeometry): Uint8ClampedArray[] {
  const { width, height, channels, data } = picture;
  const tile = geometry.tileSize;
  const layout = anyresLayout([height, width], geometry);
  const base = resizeBicubicPil(data, width, height, channels, tile, tile);
  const [rh, rw] = layout.resized;
  const resized = resizeBicubicPil(data, width, height, channels, rw, rh);
  const [ph, pw] = layout.pinpoint;
  const { top, left } = layout.padding;
  const images = [base];
  for (const t of layout.tiles) {
    const out = new Uint8ClampedArray(tile * tile * 3); // padding is black (0)
    for (let y = 0; y < tile; y++) {
      const sy = t.top + y - top;
      if (sy < 0 || sy >= rh || t.top + y >= ph) continue;
      for (let x = 0; x < tile; x++) {
        const sx = t.left + x - left;
        if (sx < 0 || sx >= rw || t.left + x >= pw) continue;
        const from = (sy * rw + sx) * 3;
        const to = (y * tile + x) * 3;
        out[to] = resized[from]!;
        out[to + 1] = resized[from + 1]!;
        out[to + 2] = resized[from + 2]!;
      }
    }
    images.push(out);
  }
  return images;
}

/** The reference mode's pixel_values for one picture. */
export function referencePixelValues(
  picture: Picture,
  geometry: AnyresGeometry,
  normalisation: PixelNormalisation = SIGLIP_NORMALISATION,
): ReferencePixels {
  const layout = anyresLayout([picture.height, picture.width], geometry);
  const tile = geometry.tileSize;
  const plane = tile * tile;
  const images = referenceImages(picture, geometry);
  const pixelValues = new Float32Array(images.length * 3 * plane);
  images.forEach((rgb, i) =>
    normalisePlanes(rgb, 3, plane, normalisation, pixelValues, i * 3 * plane),
  );
  return { pixelValues, layout };
}

/**
 * One image's interleaved 8-bit values (`channels` per pixel: RGB or RGBA, alpha dropped) as the
 * processor's channels-first pixel_values: rescaled in float64 then stored as float32, as the
 * processor does, and normalised in float32. Written into `out` from `offset` (a new array when
 * none is given).
 */
export function normalisePlanes(
  values: ArrayLike<number>,
  channels: number,
  pixels: number,
  { rescaleFactor, mean, std }: PixelNormalisation,
  out = new Float32Array(3 * pixels),
  offset = 0,
): Float32Array {
  for (let c = 0; c < 3; c++) {
    const m = Math.fround(mean[c]!);
    const s = Math.fround(std[c]!);
    const plane = offset + c * pixels;
    for (let p = 0; p < pixels; p++) {
      const rescaled = Math.fround(values[p * channels + c]! * rescaleFactor);
      out[plane + p] = Math.fround(Math.fround(rescaled - m) / s);
    }
  }
  return out;
}

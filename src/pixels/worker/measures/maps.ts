import type { OverlayMap } from '../../protocol.ts';
import type { Plane, Rgba } from './image.ts';
import type { NoiseTiles } from './noise.ts';
import { HIGHLIGHT_LEVEL, SHADOW_LEVEL } from './tone.ts';

/** Overlays are at most this many pixels on their long side; the view stretches them. */
const MAP_LONG_SIDE = 1024;

const gridOf = (width: number, height: number) => {
  const step = Math.max(1, Math.ceil(Math.max(width, height) / MAP_LONG_SIDE));
  return { step, width: Math.ceil(width / step), height: Math.ceil(height / step) };
};

/**
 * Focus peaking: a map pixel lights up where the Laplacian of any luma pixel under it is above a
 * crisp-edge level that noise alone would not reach (4.5 σ of the Laplacian's noise response).
 * The |Laplacian| is taken on the fly (0 on the border, as for the sharpness measure).
 */
export function sharpnessMap(luma: Plane, noiseSigma: number): OverlayMap {
  const grid = gridOf(luma.width, luma.height);
  const rgba = new Uint8ClampedArray(grid.width * grid.height * 4);
  const sigma = Number.isFinite(noiseSigma) ? noiseSigma : 0;
  const threshold = Math.max(20, 4.5 * Math.sqrt(20) * sigma);
  const { data, width: w, height: h } = luma;
  const column = Int32Array.from({ length: w }, (_, x) => Math.floor(x / grid.step));
  for (let y = 1; y < h - 1; y++) {
    const my = Math.floor(y / grid.step) * grid.width;
    for (let x = 1, i = y * w + 1; x < w - 1; x++, i++) {
      const l = data[i - w]! + data[i + w]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
      if ((l < 0 ? -l : l) <= threshold) continue;
      const o = (my + column[x]!) * 4;
      rgba[o] = 40;
      rgba[o + 1] = 255;
      rgba[o + 2] = 90;
      rgba[o + 3] = 230;
    }
  }
  return { width: grid.width, height: grid.height, rgba };
}

/** Zebra stripes: red over blown highlights, blue over crushed shadows. */
export function clippingMap(image: Rgba): OverlayMap {
  const grid = gridOf(image.width, image.height);
  const rgba = new Uint8ClampedArray(grid.width * grid.height * 4);
  const { data, width, height } = image;
  for (let y = 0; y < height; y++) {
    const my = Math.floor(y / grid.step);
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const r = data[p]!;
      const g = data[p + 1]!;
      const b = data[p + 2]!;
      const high = r >= HIGHLIGHT_LEVEL || g >= HIGHLIGHT_LEVEL || b >= HIGHLIGHT_LEVEL;
      const low = r <= SHADOW_LEVEL && g <= SHADOW_LEVEL && b <= SHADOW_LEVEL;
      if (!high && !low) continue;
      const mx = Math.floor(x / grid.step);
      // Diagonal stripes 3 map pixels wide, like a camera's zebra pattern.
      if (Math.floor((mx + my) / 3) % 2 === 1) continue;
      const o = (my * grid.width + mx) * 4;
      rgba[o] = high ? 255 : 30;
      rgba[o + 1] = high ? 40 : 110;
      rgba[o + 2] = high ? 40 : 255;
      rgba[o + 3] = 220;
    }
  }
  return { width: grid.width, height: grid.height, rgba };
}

/** A heat map of per-tile noise: clear below σ 1.5, yellow to red and more opaque above. */
export function noiseMap(tiles: NoiseTiles | null): OverlayMap {
  if (!tiles) return { width: 1, height: 1, rgba: new Uint8ClampedArray(4) };
  const rgba = new Uint8ClampedArray(tiles.columns * tiles.rows * 4);
  for (let t = 0; t < tiles.sigma.length; t++) {
    const sigma = tiles.sigma[t]!;
    if (!Number.isFinite(sigma) || sigma < 1.5) continue;
    const heat = Math.min(1, (sigma - 1.5) / 8);
    rgba[t * 4] = 255;
    rgba[t * 4 + 1] = Math.round(230 * (1 - heat));
    rgba[t * 4 + 2] = 0;
    rgba[t * 4 + 3] = Math.round(60 + 150 * heat);
  }
  return { width: tiles.columns, height: tiles.rows, rgba };
}

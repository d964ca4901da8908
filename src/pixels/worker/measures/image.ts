/** Plain pixel containers shared by every measure; nothing here touches the DOM. */

/** 8-bit RGBA pixels, row-major (what ImageData, sharp's raw output and canvases give). */
export interface Rgba {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** One channel of floats, row-major; luminance on the 0–255 scale unless said otherwise. */
export interface Plane {
  data: Float32Array;
  width: number;
  height: number;
}

/** Rec. 709 luma of gamma-encoded sRGB values, 0–255 (what "brightness" means to a viewer). */
export function lumaOf(image: Rgba): Plane {
  const { data, width, height } = image;
  const out = new Float32Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = 0.2126 * data[p]! + 0.7152 * data[p + 1]! + 0.0722 * data[p + 2]!;
  }
  return { data: out, width, height };
}

/** Halves a plane with a 2×2 box average (the next octave of a multi-scale measure). */
export function halve(plane: Plane): Plane {
  const width = Math.floor(plane.width / 2);
  const height = Math.floor(plane.height / 2);
  const out = new Float32Array(width * height);
  const src = plane.data;
  const w = plane.width;
  for (let y = 0; y < height; y++) {
    const r0 = 2 * y * w;
    const r1 = r0 + w;
    for (let x = 0; x < width; x++) {
      const c = 2 * x;
      out[y * width + x] =
        0.25 * (src[r0 + c]! + src[r0 + c + 1]! + src[r1 + c]! + src[r1 + c + 1]!);
    }
  }
  return { data: out, width, height };
}

/** Shrinks a plane so its long side is at most `longSide`, averaging the pixels each output pixel covers. */
export function shrinkTo(plane: Plane, longSide: number): Plane {
  const scale = Math.max(plane.width, plane.height) / longSide;
  if (scale <= 1) return plane;
  const width = Math.max(1, Math.round(plane.width / scale));
  const height = Math.max(1, Math.round(plane.height / scale));
  const xs = Array.from({ length: width + 1 }, (_, x) =>
    Math.min(plane.width, Math.round(x * scale)),
  );
  const ys = Array.from({ length: height + 1 }, (_, y) =>
    Math.min(plane.height, Math.round(y * scale)),
  );
  // Sum columns first, one output row at a time.
  const rowSums = new Float64Array(plane.width);
  const out = new Float32Array(width * height);
  const src = plane.data;
  for (let y = 0; y < height; y++) {
    rowSums.fill(0);
    const y0 = ys[y]!;
    const y1 = Math.max(y0 + 1, ys[y + 1]!);
    for (let sy = y0; sy < y1; sy++) {
      const row = sy * plane.width;
      for (let x = 0; x < plane.width; x++) rowSums[x]! += src[row + x]!;
    }
    for (let x = 0; x < width; x++) {
      const x0 = xs[x]!;
      const x1 = Math.max(x0 + 1, xs[x + 1]!);
      let sum = 0;
      for (let sx = x0; sx < x1; sx++) sum += rowSums[sx]!;
      out[y * width + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return { data: out, width, height };
}

/** sRGB-encoded 0–255 value → linear light 0–1 (IEC 61966-2-1). */
export const SRGB_TO_LINEAR: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) {
    const c = v / 255;
    table[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return table;
})();

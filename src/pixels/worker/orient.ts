/** Pixels of any kind with a size (ImageData, or a plain object in tests). */
export interface PixelGrid {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * Where the stored pixel (x, y) lands in the upright picture for an EXIF/TIFF orientation (1–8).
 * Orientation 6 is "rotate 90° clockwise to view", the usual portrait phone shot.
 */
export function orientedPosition(
  orientation: number,
  x: number,
  y: number,
  w: number,
  h: number,
): [number, number] {
  switch (orientation) {
    case 2:
      return [w - 1 - x, y];
    case 3:
      return [w - 1 - x, h - 1 - y];
    case 4:
      return [x, h - 1 - y];
    case 5:
      return [y, x];
    case 6:
      return [h - 1 - y, x];
    case 7:
      return [h - 1 - y, w - 1 - x];
    case 8:
      return [y, w - 1 - x];
    default:
      return [x, y];
  }
}

/** Turns stored pixels upright (used for TIFF, whose orientation the browser does not apply for us). */
export function orientPixels(image: PixelGrid, orientation: number): PixelGrid {
  if (!(orientation >= 2 && orientation <= 8)) return image;
  const { width: w, height: h, data } = image;
  const swap = orientation >= 5;
  const outW = swap ? h : w;
  const out = new Uint8ClampedArray(data.length);
  const words = new Uint32Array(data.buffer, data.byteOffset, w * h);
  const outWords = new Uint32Array(out.buffer);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [ux, uy] = orientedPosition(orientation, x, y, w, h);
      outWords[uy * outW + ux] = words[y * w + x]!;
    }
  }
  return { data: out, width: outW, height: swap ? w : h };
}

/** ImageData flavour of orientPixels, for the worker. */
export function orientImageData(image: ImageData, orientation: number): ImageData {
  const turned = orientPixels(image, orientation);
  return turned === image
    ? image
    : new ImageData(turned.data as Uint8ClampedArray<ArrayBuffer>, turned.width, turned.height);
}

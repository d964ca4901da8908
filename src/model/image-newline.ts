/**
 * The `image_newline` vector the reference image mode appends after each row of tile features. No
 * ONNX graph uses it, so the converter (and the fixture generator) write it beside the graphs as a
 * small JSON file that the model worker reads when it loads a model.
 */

/** The file's name in a model folder (beside config.json). */
export const IMAGE_NEWLINE_FILE = 'image_newline.json';

interface ImageNewlineJson {
  dtype: 'float32';
  shape: [number];
  data: number[];
}

/** The file's text for a vector (float32 values written exactly). */
export function imageNewlineJson(values: ArrayLike<number>): string {
  const body: ImageNewlineJson = {
    dtype: 'float32',
    shape: [values.length],
    data: Array.from(values, (v) => Math.fround(v)),
  };
  return `${JSON.stringify(body)}\n`;
}

/** Reads the file's text; throws when it is not a float32 vector of `hidden` values. */
export function parseImageNewline(text: string, hidden: number): Float32Array {
  const body = JSON.parse(text) as Partial<ImageNewlineJson>;
  const data = body.data;
  if (!Array.isArray(data) || data.length !== hidden || body.shape?.[0] !== hidden) {
    throw new Error(`${IMAGE_NEWLINE_FILE} does not hold ${hidden} values`);
  }
  return Float32Array.from(data, Number);
}

/**
 * A small reader (and, for tests, writer) of the safetensors format, done by hand so that a large
 * checkpoint is never loaded whole: the header is parsed once and each tensor is read from its
 * byte range when the graph builder asks for it.
 *
 * Layout (the format's own specification, huggingface/safetensors README "Format"):
 *   8 bytes  little-endian u64 N, the header length
 *   N bytes  UTF-8 JSON: { "<name>": { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {…} }
 *   rest     the data buffer; offsets are relative to its start, tensors are row-major, little-endian.
 * Everything the header says is checked against the file size before any tensor is trusted, so a
 * truncated file or a header that lies about sizes is a clear error instead of garbage weights.
 */
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The element types the converter reads (LLaVA-OneVision checkpoints are F16/BF16, tests use F32). */
export const FLOAT_DTYPES = { F32: 4, F16: 2, BF16: 2 } as const;
export type FloatDtype = keyof typeof FLOAT_DTYPES;

/** Byte widths of every dtype the format defines, to check sizes of tensors we do not read too. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** One tensor's entry in the header. */
export interface TensorEntry {
  dtype: string;
  shape: number[];
  /** Absolute byte offsets in the file (header offsets plus the data start). */
  begin: number;
  end: number;
}

/** A parsed, validated safetensors file. */
export interface SafetensorsFile {
  path: string;
  tensors: Map<string, TensorEntry>;
  metadata: Record<string, string>;
}

/** Every problem with a checkpoint file is one of these, naming the file. */
export class SafetensorsError extends Error {
  constructor(path: string, problem: string) {
    super(`${basename(path)}: ${problem}`);
    this.name = 'SafetensorsError';
  }
}

if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
  throw new Error('the safetensors reader assumes a little-endian machine');
}

/** Largest header we accept (the format's reference implementation caps it at 100 MB too). */
const MAX_HEADER_BYTES = 100_000_000;

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/** Reads and validates the header of `path`; tensor data is not read. */
export function readSafetensorsHeader(path: string): SafetensorsFile {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const fail = (problem: string): never => {
      throw new SafetensorsError(path, problem);
    };
    if (fileSize < 8) fail(`only ${fileSize} bytes; not a safetensors file (truncated?)`);
    const headerLength = Number(readExactly(fd, 8, 0).readBigUInt64LE(0));
    if (headerLength > MAX_HEADER_BYTES) fail(`header length ${headerLength} is not plausible`);
    if (8 + headerLength > fileSize) {
      fail(
        `header says it is ${headerLength} bytes but the file has only ${fileSize} (truncated?)`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(readExactly(fd, headerLength, 8).toString('utf8'));
    } catch {
      fail('header is not valid JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      fail('header is not a JSON object');
    }
    const dataStart = 8 + headerLength;
    const dataLength = fileSize - dataStart;
    const tensors = new Map<string, TensorEntry>();
    let metadata: Record<string, string> = {};
    let furthest = 0;
    for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
      if (name === '__metadata__') {
        metadata = (raw ?? {}) as Record<string, string>;
        continue;
      }
      const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const { dtype, shape, data_offsets: offsets } = entry ?? {};
      if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
        fail(`tensor ${name} has unknown dtype ${JSON.stringify(dtype)}`);
      }
      const dims = shape as number[];
      if (!Array.isArray(shape) || !dims.every((d) => Number.isInteger(d) && d >= 0)) {
        fail(`tensor ${name} has an invalid shape ${JSON.stringify(shape)}`);
      }
      const range = offsets as number[];
      if (
        !Array.isArray(offsets) ||
        range.length !== 2 ||
        !range.every((o) => Number.isInteger(o) && o >= 0)
      ) {
        fail(`tensor ${name} has invalid data_offsets ${JSON.stringify(offsets)}`);
      }
      const [begin, end] = range as [number, number];
      const expected = dims.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[dtype as string] ?? 0);
      if (end < begin || end - begin !== expected) {
        fail(
          `tensor ${name} (${dtype} [${dims.join(', ')}]) needs ${expected} bytes but its header ` +
            `offsets give ${end - begin}`,
        );
      }
      if (end > dataLength) {
        fail(
          `tensor ${name} ends at byte ${end} of the data but the file holds only ${dataLength} ` +
            `data bytes (truncated download?)`,
        );
      }
      furthest = Math.max(furthest, end);
      tensors.set(name, {
        dtype: dtype as string,
        shape: dims,
        begin: dataStart + begin,
        end: dataStart + end,
      });
    }
    // Overlapping ranges would mean two tensors share bytes: the header cannot be right.
    const sorted = [...tensors.entries()].sort((a, b) => a[1].begin - b[1].begin);
    for (let i = 1; i < sorted.length; i++) {
      const [prevName, prev] = sorted[i - 1]!;
      const [name, entry] = sorted[i]!;
      if (entry.begin < prev.end) fail(`tensors ${prevName} and ${name} overlap in the header`);
    }
    if (furthest < dataLength) {
      fail(`${dataLength - furthest} bytes after the last tensor that no header entry describes`);
    }
    return { path, tensors, metadata };
  } finally {
    closeSync(fd);
  }
}

/** IEEE half → float. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Reads one tensor as float32 values (row-major, the checkpoint's own layout). */
export function readTensor(file: SafetensorsFile, name: string): Float32Array {
  const entry = file.tensors.get(name);
  if (!entry) throw new SafetensorsError(file.path, `has no tensor ${name}`);
  if (!(entry.dtype in FLOAT_DTYPES)) {
    throw new SafetensorsError(
      file.path,
      `tensor ${name} is ${entry.dtype}; only F32, F16 and BF16 weights can be converted`,
    );
  }
  const length = entry.end - entry.begin;
  const fd = openSync(file.path, 'r');
  let bytes: Buffer;
  try {
    bytes = readExactly(fd, length, entry.begin);
  } finally {
    closeSync(fd);
  }
  if (bytes.length !== length) {
    throw new SafetensorsError(file.path, `tensor ${name} is cut short (file changed on disk?)`);
  }
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count);
  // Copy into an aligned buffer so typed-array views can read it (little-endian, as Node runs).
  const aligned = new Uint8Array(length);
  aligned.set(bytes);
  if (entry.dtype === 'F32') {
    out.set(new Float32Array(aligned.buffer, 0, count));
  } else if (entry.dtype === 'F16') {
    // A lookup table is much faster than decoding 136 M halves one by one (the embedding).
    const table = halfTable();
    const halves = new Uint16Array(aligned.buffer, 0, count);
    for (let i = 0; i < count; i++) out[i] = table[halves[i] ?? 0] ?? 0;
  } else {
    // bfloat16 is the top half of a float32.
    const words = new Uint32Array(out.buffer);
    const halves = new Uint16Array(aligned.buffer, 0, count);
    for (let i = 0; i < count; i++) words[i] = (halves[i] ?? 0) << 16;
  }
  return out;
}

let HALF_TABLE: Float32Array | null = null;
function halfTable(): Float32Array {
  if (!HALF_TABLE) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfToFloat(h);
  }
  return HALF_TABLE;
}

/** float → IEEE half bits (round to nearest even), for writing F16 test checkpoints. */
const SCRATCH_FLOAT = new Float32Array(1);
const SCRATCH_BITS = new Uint32Array(SCRATCH_FLOAT.buffer);

export function floatToHalf(value: number): number {
  SCRATCH_FLOAT[0] = value;
  const x = SCRATCH_BITS[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  let mantissa = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  if (exponent >= 31) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - exponent;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (exponent << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** One tensor to write: fp32 values stored as F32, F16 or BF16. */
export interface TensorToWrite {
  shape: number[];
  values: Float32Array;
  dtype?: FloatDtype;
}

/** Writes a safetensors file (tests and the e2e stand-in checkpoint use it). */
export function writeSafetensors(
  path: string,
  tensors: Map<string, TensorToWrite>,
  metadata: Record<string, string> = { format: 'pt' },
): void {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, { shape, values, dtype = 'F32' }] of tensors) {
    // Typed-array views write little-endian on the little-endian machines Node runs on.
    let bytes: Buffer;
    if (dtype === 'F32') {
      bytes = Buffer.from(Float32Array.from(values).buffer);
    } else {
      const halves = new Uint16Array(values.length);
      const bits = new Uint32Array(Float32Array.from(values).buffer);
      for (let i = 0; i < values.length; i++) {
        // BF16 keeps the top half of the float32 (truncation, as a plain cast of the bits).
        halves[i] = dtype === 'F16' ? floatToHalf(values[i] ?? 0) : (bits[i] ?? 0) >>> 16;
      }
      bytes = Buffer.from(halves.buffer);
    }
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  // The format pads the header with spaces to a multiple of 8 bytes.
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeFileSync(path, Buffer.concat([length, Buffer.from(json, 'utf8'), ...chunks]));
}

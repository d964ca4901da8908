/**
 * A large JPEG's working copy made in WebAssembly SIMD: the decoder writes the Y′CbCr planes
 * straight into the module's memory, the Catmull–Rom reduction and the colour conversion run
 * there (plane-kernels.wat), and the RGBA comes out as rgbaFromYCbCr (resample.ts) would make it,
 * 2.5 times faster, 4.5 times once its memory is warm. The memory holds what the JavaScript path
 * held (planes, three reduced planes, the RGBA: ≈ 80 MB for 24 MP). A fresh memory costs a page
 * fault per 4 KiB on first touch (≈ 45 ms of the 100 at 24 MP), so the last one is kept for the
 * next large JPEG of a shoot and dropped after SPARE_MS without one: the worker holds it only
 * while photos keep coming. Where WebAssembly SIMD is missing, `create` says null and the caller
 * uses resample.ts.
 */
import type { Rgba } from './measures/image.ts';
import kernelBytes from './plane-kernels.wat';
import { cubicWeights, type Plane8, type YCbCrPlanes } from './resample.ts';

interface Kernels {
  down4(
    src: number,
    stride: number,
    n: number,
    w0: number,
    w1: number,
    w2: number,
    w3: number,
    dst: number,
  ): void;
  across4(row: number, first: number, weights: number, n: number, dst: number): void;
  rgba(y: number, cb: number, cr: number, n: number, dst: number): void;
}

/** The kernels compiled once per worker; null where the engine lacks WebAssembly SIMD. */
let compiled: WebAssembly.Module | null | undefined;
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = WebAssembly.validate(kernelBytes) ? new WebAssembly.Module(kernelBytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE = 65536;
/** How long a memory is kept for the next decode once one is done. */
export const SPARE_MS = 10_000;

interface Instance {
  memory: WebAssembly.Memory;
  kernels: Kernels;
}
/** The memory (and its instance) of the last decode, while it is kept. */
let spare: { instance: Instance; timer: ReturnType<typeof setTimeout> } | null = null;

/** An instance whose memory holds at least `bytes`: the spare one if big enough, else a new one. */
function instanceFor(module: WebAssembly.Module, bytes: number): Instance {
  const kept = spare;
  spare = null;
  if (kept) {
    clearTimeout(kept.timer);
    if (kept.instance.memory.buffer.byteLength >= bytes) return kept.instance;
  }
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { memory, kernels: instance.exports as unknown as Kernels };
}

/** Whether a memory is being kept for the next decode (for tests). */
export const hasSpareMemory = (): boolean => spare !== null;
/** Room past each area for the kernels' reads and writes rounded up to whole vectors. */
const SLACK = 64;
const align = (bytes: number) => Math.ceil((bytes + SLACK) / 16) * 16;

/** Reduces planes that lie in its own memory to one working size, and converts them to RGBA. */
export class PlaneReducer {
  /** Where the decoder writes the planes: a view on the module's memory. */
  readonly input: Uint8Array;
  private readonly instance: Instance;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: Kernels;
  private readonly row: number;
  private readonly first: number;
  private readonly weights: number;
  private readonly outputs: [number, number, number];
  private readonly result: number;

  /**
   * Room for `bytes` of decoded planes none wider than `widest`, reduced to `width` × `height`;
   * null without WebAssembly SIMD, or when the memory cannot be had (the caller falls back).
   */
  static create(bytes: number, widest: number, width: number, height: number): PlaneReducer | null {
    const module = kernelModule();
    if (!module) return null;
    try {
      return new PlaneReducer(module, bytes, widest, width, height);
    } catch {
      return null;
    }
  }

  private constructor(
    module: WebAssembly.Module,
    bytes: number,
    widest: number,
    readonly width: number,
    readonly height: number,
  ) {
    const pixels = width * height * 4;
    const sizes = [bytes, widest * 4, width * 4, width * 16, pixels, pixels, pixels, pixels];
    const starts: number[] = [];
    let end = 0;
    for (const size of sizes) {
      starts.push(end);
      end += align(size);
    }
    this.instance = instanceFor(module, end);
    this.memory = this.instance.memory;
    this.kernels = this.instance.kernels;
    const [input, row, first, weights, y, cb, cr, result] = starts as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    this.input = new Uint8Array(this.memory.buffer, input, bytes);
    this.row = row;
    this.first = first;
    this.weights = weights;
    this.outputs = [y, cb, cr];
    this.result = result;
  }

  /**
   * Done with this decode (the planes in `input` are not read again): the memory is kept for the
   * next one for SPARE_MS, then dropped.
   */
  release(): void {
    if (spare) clearTimeout(spare.timer);
    spare = {
      instance: this.instance,
      timer: setTimeout(() => {
        spare = null;
      }, SPARE_MS),
    };
    // In Node (the tests) a kept memory must not keep the process alive.
    (spare.timer as { unref?: () => void }).unref?.();
  }

  /** The planes (lying in `input`) reduced and turned into RGBA, as rgbaFromYCbCr(…, 'cubic') does. */
  rgba(planes: YCbCrPlanes): Rgba {
    const { width, height } = this;
    [planes.y, planes.cb, planes.cr].forEach((plane, i) =>
      this.reduce(plane, planes.width, planes.height, this.outputs[i]!),
    );
    const [y, cb, cr] = this.outputs;
    this.kernels.rgba(y, cb, cr, width * height, this.result);
    const data = new Uint8ClampedArray(this.memory.buffer, this.result, width * height * 4).slice();
    return { data, width, height };
  }

  /** One plane reduced by Catmull–Rom to the working size, at `out` in the memory. */
  private reduce(plane: Plane8, spanWidth: number, spanHeight: number, out: number): void {
    if (plane.data.buffer !== this.memory.buffer) {
      throw new Error('PlaneReducer: the planes must lie in its input.');
    }
    const { width, height, kernels } = this;
    const across = cubicWeights(plane.width, width, spanWidth);
    const down = cubicWeights(plane.height, height, spanHeight);
    if (across.taps !== 4 || down.taps !== 4) {
      throw new Error('PlaneReducer: planes need at least 4 samples a side.');
    }
    const bytes = new Uint8Array(this.memory.buffer);
    bytes.set(new Uint8Array(across.first.buffer), this.first);
    bytes.set(new Uint8Array(across.weights.buffer), this.weights);
    const base = plane.data.byteOffset;
    for (let j = 0; j < height; j++) {
      const t = j * 4;
      const w = down.weights;
      kernels.down4(
        base + down.first[j]! * plane.stride,
        plane.stride,
        plane.width,
        w[t]!,
        w[t + 1]!,
        w[t + 2]!,
        w[t + 3]!,
        this.row,
      );
      kernels.across4(this.row, this.first, this.weights, width, out + j * width * 4);
    }
  }
}

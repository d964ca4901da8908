/**
 * A small ONNX graph writer on top of onnx-proto (protobufjs classes generated from onnx.proto).
 *
 * Every tensor is written as `raw_data` (little-endian bytes, as the ONNX spec defines for raw_data),
 * which keeps encoding fast and avoids protobuf's packed int64 handling. Node and value names are
 * derived from a scope stack and a counter, so the same build calls give the same bytes every run.
 */
import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX TensorProto.DataType codes used by the builders. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;

export type DataTypeCode = (typeof DataType)[keyof typeof DataType];
/** The two element types a graph may compute in. */
export type FloatType = typeof DataType.FLOAT | typeof DataType.FLOAT16;
/** A dimension: a fixed size or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/**
 * Attribute values: integers and integer lists are written as INT/INTS, strings as STRING;
 * floats must be wrapped (`{ f: 1e-6 }`) because JavaScript cannot tell 1.0 from 1.
 */
export type AttrValue = number | number[] | string | { f: number };

/** The opsets every graph here imports: ai.onnx 17 (LayerNormalization) and com.microsoft 1. */
export const OPSETS = [
  { domain: '', version: 17 },
  { domain: 'com.microsoft', version: 1 },
];

const INT64_MAX = 9223372036854775807n;

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function valueInfo(
  name: string,
  elemType: DataTypeCode,
  dims: readonly Dim[],
): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attribute(name: string, value: AttrValue): Onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (typeof value === 'string')
    return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return { name, type: T.FLOAT, f: value.f };
}

/** Options for {@link GraphBuilder.op}. */
export interface OpOptions {
  /** Explicit output names (e.g. graph outputs); otherwise generated. */
  outputs?: string[];
  /** Number of generated outputs when `outputs` is not given (default 1). */
  outputCount?: number;
  /** Operator domain, e.g. `com.microsoft` for MatMulNBits. */
  domain?: string;
}

/** Collects nodes, initializers and I/O of one ONNX graph and serialises it deterministically. */
export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers: Onnx.ITensorProto[] = [];
  private readonly inputs: Onnx.IValueInfoProto[] = [];
  private readonly outputs: Onnx.IValueInfoProto[] = [];
  private readonly taken = new Set<string>();
  private readonly constants = new Map<string, string>();
  private readonly scopes: string[] = [];
  private counter = 0;

  /** `floatType` is the element type of activations, weights and float constants. */
  constructor(
    readonly name: string,
    readonly floatType: FloatType,
  ) {}

  /** Runs `build` with node names prefixed by `scope` (like torch.onnx's `/model/layers.0/...`). */
  scoped<T>(scope: string, build: () => T): T {
    this.scopes.push(scope);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  private fresh(hint: string): string {
    const base = `/${[...this.scopes, hint].join('/')}`;
    let candidate = base;
    while (this.taken.has(candidate)) candidate = `${base}_${++this.counter}`;
    this.taken.add(candidate);
    return candidate;
  }

  private claim(name: string): string {
    if (this.taken.has(name)) throw new Error(`duplicate tensor name ${name}`);
    this.taken.add(name);
    return name;
  }

  /** Declares a graph input and returns its name. */
  input(name: string, elemType: DataTypeCode, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), elemType, dims));
    return name;
  }

  /** Declares a graph output (the value must be produced under this exact name). */
  output(name: string, elemType: DataTypeCode, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** Adds a node and returns its output names. */
  ops(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    options: OpOptions = {},
  ): string[] {
    const nodeName = this.fresh(opType);
    const outputs =
      options.outputs?.map((n) => this.claim(n)) ??
      Array.from({ length: options.outputCount ?? 1 }, (_, i) => `${nodeName}_output_${i}`);
    for (const o of outputs) this.taken.add(o);
    this.nodes.push({
      name: nodeName,
      opType,
      domain: options.domain ?? '',
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  /** Adds a single-output node and returns its output name. */
  op(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    options: OpOptions = {},
  ): string {
    const [out] = this.ops(opType, inputs, attrs, options);
    if (out === undefined) throw new Error(`${opType} produced no output`);
    return out;
  }

  /** Adds an initializer from raw little-endian bytes. */
  initializer(
    name: string,
    dataType: DataTypeCode,
    dims: readonly number[],
    data: ArrayBufferView,
  ): string {
    this.initializers.push({
      name: this.claim(name),
      dataType,
      dims: [...dims],
      rawData: bytesOf(data),
    });
    return name;
  }

  /** Adds a float initializer in the graph's float type (fp32 values converted to fp16 when needed). */
  floatInitializer(name: string, dims: readonly number[], data: Float32Array): string {
    return this.floatType === DataType.FLOAT16
      ? this.initializer(name, DataType.FLOAT16, dims, toFloat16Bits(data))
      : this.initializer(name, DataType.FLOAT, dims, data);
  }

  private cachedConstant(key: string, make: (name: string) => void): string {
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const name = `const_${this.constants.size}`;
    make(name);
    this.constants.set(key, name);
    return name;
  }

  /** An int64 constant (shared between uses); `dims` defaults to a 1-D tensor. */
  int64(values: readonly (number | bigint)[], dims: readonly number[] = [values.length]): string {
    return this.cachedConstant(`i64:${dims.join('x')}:${values.join(',')}`, (name) =>
      this.initializer(
        name,
        DataType.INT64,
        dims,
        BigInt64Array.from(values, (v) => BigInt(v)),
      ),
    );
  }

  /** The largest int64, used as an open Slice end. */
  int64Max(): string {
    return this.int64([INT64_MAX]);
  }

  /** A scalar float constant in the graph's float type (or an explicit one). */
  scalar(value: number, type: FloatType = this.floatType): string {
    return this.cachedConstant(`f${type}:${value}`, (name) => {
      const data = Float32Array.of(value);
      if (type === DataType.FLOAT16) this.initializer(name, type, [], toFloat16Bits(data));
      else this.initializer(name, type, [], data);
    });
  }

  /** Serialises the graph as an ONNX model (IR version 8). */
  toModelBytes(producerName: string): Uint8Array {
    const model: Onnx.IModelProto = {
      irVersion: 8,
      producerName,
      opsetImport: OPSETS,
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, round to nearest even, overflow to ±inf (what numpy's astype does). */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i] ?? 0;
    const x = u32[0] ?? 0;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    let e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      const half = 1 << (shift - 1);
      let m = mant >>> shift;
      const rest = mant & ((1 << shift) - 1);
      if (rest > half || (rest === half && m & 1)) m++;
      out[i] = sign | m;
      continue;
    }
    let m = mant >>> 13;
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
      m++;
      if (m === 0x400) {
        m = 0;
        e++;
        if (e >= 0x1f) {
          out[i] = sign | 0x7c00;
          continue;
        }
      }
    }
    out[i] = sign | (e << 10) | m;
  }
  return out;
}

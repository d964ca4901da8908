/**
 * The decoder's key/value caches kept between prompts about the same photo: each photo's shared
 * prefix (turn header, image tokens, the newline after them) and the last few conversations about
 * it, so a new prompt prefills only the tokens after the longest cached run of its own tokens.
 * Least recently used entries go first once the byte budget is spent; an entry a running prefill
 * still reads is disposed only once that prefill is done (GPU buffers on WebGPU).
 */
import type { Tensor } from '@huggingface/transformers';

/** Decoder `past_key_values.*` inputs by name. */
export type KvCache = Record<string, Tensor>;

/**
 * What a cache entry holds: a photo's shared prefix, a conversation up to its last answer, or the
 * opening a batch of questions shares (kept only while the batch runs: the attribute pass).
 */
export type CacheKind = 'photo' | 'conversation' | 'questions';

/** One kept cache: the token ids it covers, in order, and the tensors. */
export interface CacheEntry {
  readonly photoId: string;
  readonly kind: CacheKind;
  readonly ids: readonly number[];
  readonly kv: KvCache;
  readonly bytes: number;
}

interface Held extends CacheEntry {
  users: number;
  retired: boolean;
}

/** What the worker holds, for the debug view and tests. */
export interface CacheStatus {
  budgetBytes: number;
  usedBytes: number;
  entries: { photoId: string; kind: CacheKind; tokens: number; bytes: number }[];
}

/**
 * Default budget: about ten photos' prefixes of the real model at fp32 (733 tokens × 24 layers ×
 * K and V × 2 heads × 64 × 4 bytes ≈ 18 MB each), or twenty at fp16.
 */
export const PROMPT_CACHE_BYTES = 192 * 1024 * 1024;

/** Conversations kept per photo besides its prefix (say the description and one chat). */
export const CONVERSATIONS_PER_PHOTO = 2;

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, float16: 2 };

/** Bytes a cache's tensors take (their element count × the size of their type). */
export function kvBytes(kv: KvCache): number {
  let bytes = 0;
  for (const tensor of Object.values(kv)) {
    const elements = tensor.dims.reduce((a, b) => a * b, 1);
    bytes += elements * (BYTES_PER_ELEMENT[tensor.type] ?? 4);
  }
  return bytes;
}

/** Frees a cache's tensors (their GPU buffers on WebGPU). */
export function disposeKv(kv: KvCache | null) {
  if (kv) for (const tensor of Object.values(kv)) tensor.dispose();
}

/** The `present.*` outputs of a decoder run as the `past_key_values.*` inputs of the next. */
export function kvOf(outputs: Record<string, Tensor>): KvCache {
  const kv: KvCache = {};
  for (const [name, tensor] of Object.entries(outputs)) {
    if (name.startsWith('present')) kv[name.replace('present', 'past_key_values')] = tensor;
  }
  return kv;
}

function startsWith(ids: readonly number[], prefix: readonly number[]): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) if (ids[i] !== prefix[i]) return false;
  return true;
}

export class PromptCaches {
  /** In least-recently-used order: a use moves an entry to the end. */
  private readonly entries = new Set<Held>();
  private used = 0;

  constructor(
    readonly budgetBytes = PROMPT_CACHE_BYTES,
    private readonly conversationsPerPhoto = CONVERSATIONS_PER_PHOTO,
  ) {}

  /**
   * The photo's longest entry whose tokens begin `ids` and leave at least one token to run (the
   * next-token logits come from that run). The caller must `release` it when its run is done.
   */
  acquire(photoId: string, ids: readonly number[]): CacheEntry | null {
    let best: Held | null = null;
    for (const entry of this.entries) {
      if (entry.photoId !== photoId || entry.ids.length >= ids.length) continue;
      if (best && entry.ids.length <= best.ids.length) continue;
      if (startsWith(ids, entry.ids)) best = entry;
    }
    if (!best) return null;
    best.users++;
    this.entries.delete(best);
    this.entries.add(best);
    return best;
  }

  release(entry: CacheEntry) {
    const held = entry as Held;
    held.users--;
    if (held.users === 0 && held.retired) disposeKv(held.kv);
  }

  /**
   * Keeps a cache (the store owns its tensors from now on). A conversation entry replaces the
   * photo's conversations it extends; the oldest conversations beyond the per-photo limit and then
   * the least recently used entries beyond the budget are dropped. Returns the entry, or null when
   * it alone exceeds the budget (then it is freed at once).
   */
  add(photoId: string, kind: CacheKind, ids: readonly number[], kv: KvCache): CacheEntry | null {
    const bytes = kvBytes(kv);
    if (bytes > this.budgetBytes) {
      disposeKv(kv);
      return null;
    }
    const entry: Held = { photoId, kind, ids: [...ids], kv, bytes, users: 0, retired: false };
    if (kind === 'conversation') {
      const mine = [...this.entries].filter(
        (e) => e.photoId === photoId && e.kind === 'conversation',
      );
      for (const older of mine) if (startsWith(ids, older.ids)) this.drop(older);
      const left = mine.filter((e) => !e.retired);
      for (let i = 0; i <= left.length - this.conversationsPerPhoto; i++) this.drop(left[i]!);
    }
    this.entries.add(entry);
    this.used += bytes;
    for (const oldest of this.entries) {
      if (this.used <= this.budgetBytes) break;
      if (oldest !== entry) this.drop(oldest);
    }
    return entry;
  }

  /** Whether the photo's shared prefix is held. */
  hasPrefix(photoId: string): boolean {
    for (const entry of this.entries)
      if (entry.photoId === photoId && entry.kind === 'photo') return true;
    return false;
  }

  /** Frees one entry (at once, or when the prefill reading it ends). */
  remove(entry: CacheEntry) {
    this.drop(entry as Held);
  }

  /** Frees everything kept for a photo. */
  forgetPhoto(photoId: string) {
    for (const entry of [...this.entries]) if (entry.photoId === photoId) this.drop(entry);
  }

  /** Frees everything (the model is being replaced). */
  clear() {
    for (const entry of [...this.entries]) this.drop(entry);
  }

  status(): CacheStatus {
    return {
      budgetBytes: this.budgetBytes,
      usedBytes: this.used,
      entries: [...this.entries].map((e) => ({
        photoId: e.photoId,
        kind: e.kind,
        tokens: e.ids.length,
        bytes: e.bytes,
      })),
    };
  }

  private drop(entry: Held) {
    if (!this.entries.delete(entry)) return;
    this.used -= entry.bytes;
    entry.retired = true;
    if (entry.users === 0) disposeKv(entry.kv);
  }
}

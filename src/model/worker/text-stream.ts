/**
 * Turns generated token ids into text as they arrive. Qwen2's byte-level BPE can split one
 * character (an emoji, a CJK character, an accented letter) over several tokens; decoding such a
 * token alone gives U+FFFD, so text ending in an incomplete character is held back until the
 * token that completes it arrives.
 */

/** The part of a tokenizer the stream needs. */
export interface TokenDecoder {
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
}

const REPLACEMENT = '\uFFFD';

export class TextStream {
  private readonly ids: number[] = [];
  private emitted = '';

  constructor(private readonly tokenizer: TokenDecoder) {}

  /** Adds a token; returns the new whole characters it completes (often '', never a half). */
  push(id: number): string {
    this.ids.push(id);
    const text = this.tokenizer.decode(this.ids, { skip_special_tokens: true });
    if (text.endsWith(REPLACEMENT) || !text.startsWith(this.emitted)) return '';
    const delta = text.slice(this.emitted.length);
    this.emitted = text;
    return delta;
  }

  /** All text emitted so far. */
  get text(): string {
    return this.emitted;
  }

  /** The final text, including a trailing incomplete character if generation ended inside one. */
  finish(): string {
    this.emitted = this.tokenizer.decode(this.ids, { skip_special_tokens: true });
    return this.emitted;
  }

  get tokenCount(): number {
    return this.ids.length;
  }
}

/**
 * Prompts in the LLaVA-OneVision (Qwen2 ChatML) chat template. transformers.js reads a chat template
 * only from tokenizer_config.json, and the real repository keeps it in chat_template.json, so the
 * template is rendered here, exactly as the repository's Jinja template renders it: each message is
 * `<|im_start|>{role}\n`, then one `<image>\n` per image, then the text, then `<|im_end|>\n`; the
 * generation prompt is `<|im_start|>assistant\n`. There is no default system message.
 */

export const IMAGE_TOKEN = '<image>';

/** One turn of a conversation about a photo. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
  /** Whether the photo is attached to this turn (the first user turn carries it). */
  withImage?: boolean;
}

/** Renders turns with the chat template; `assistantPrefix` starts the model's answer for it. */
export function renderChat(turns: readonly ChatTurn[], assistantPrefix = ''): string {
  let out = '';
  for (const turn of turns) {
    out += `<|im_start|>${turn.role}\n`;
    if (turn.withImage) out += `${IMAGE_TOKEN}\n`;
    out += `${turn.text}<|im_end|>\n`;
  }
  return `${out}<|im_start|>assistant\n${assistantPrefix}`;
}

/**
 * The start every prompt about a photo shares: the first user turn's header and the photo, up to
 * where that turn's text begins. Rendered through `renderChat`, so it follows the template.
 */
export function photoPrefix(): string {
  const mark = '\u0000';
  const rendered = renderChat([{ role: 'user', text: mark, withImage: true }]);
  return rendered.slice(0, rendered.indexOf(mark));
}

/**
 * Replaces each `<image>` placeholder with `imageTokenCount` copies, so the prompt holds exactly one
 * image token per image-feature row (transformers.js refuses a mismatch).
 */
export function expandImageTokens(prompt: string, imageTokenCount: number): string {
  if (!Number.isInteger(imageTokenCount) || imageTokenCount < 1) {
    throw new Error(`Invalid image token count: ${imageTokenCount}`);
  }
  return prompt.split(IMAGE_TOKEN).join(IMAGE_TOKEN.repeat(imageTokenCount));
}

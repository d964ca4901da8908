/**
 * How far a link may move the generation limits (`?maxTokens=`, `?context=`, used by tests and
 * for trying longer answers). Without bounds a link could ask for a 999,999,999-token answer or a
 * context whose attention alone needs tens of gigabytes, and freeze or crash the tab.
 */
import { CONTEXT_TOKENS } from './explain-recipes.ts';

/**
 * The largest context a link may ask for: twice the default. The prefill's attention scores grow
 * with the square of the prompt (14 heads × n² floats per layer: ≈ 0.9 GB at 4,096 tokens,
 * ≈ 3.8 GB at 8,192), so beyond this a browser tab runs out of memory.
 */
export const MAX_CONTEXT_TOKENS = 2 * CONTEXT_TOKENS;

/** The longest answer a link may ask for: the largest context less the photo (729) and a prompt. */
export const MAX_NEW_TOKENS = MAX_CONTEXT_TOKENS - 1024;

/** Generation limits as read from a link, and a sentence for each value changed or ignored. */
export interface LinkLimits {
  /** Overrides the recipe's max new tokens (null: the recipe's own). */
  maxTokens: number | null;
  contextTokens: number;
  notices: string[];
}

const shown = (value: string) => (value.length > 24 ? `${value.slice(0, 24)}…` : value);

/** Reads one limit: a positive whole number, at most `max`. */
function readLimit(
  value: string | null,
  max: number,
  what: string,
  notices: string[],
): number | null {
  if (value === null) return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n <= 0) {
    notices.push(`“${shown(value)}” is not a number of tokens for ${what}; using the default.`);
    return null;
  }
  if (n > max) {
    notices.push(
      `The link asked for ${what} of ${shown(value)} tokens; limited to ${max} so this tab does not run out of memory.`,
    );
    return max;
  }
  return n;
}

/** The generation limits a link asks for (`maxTokens`, `context`), bounded. */
export function generationLimitsFromLink(params: URLSearchParams): LinkLimits {
  const notices: string[] = [];
  const maxTokens = readLimit(params.get('maxTokens'), MAX_NEW_TOKENS, 'answers', notices);
  const context = readLimit(params.get('context'), MAX_CONTEXT_TOKENS, 'a context', notices);
  return { maxTokens, contextTokens: context ?? CONTEXT_TOKENS, notices };
}

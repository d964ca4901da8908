/**
 * Conversations about a photo as the model sees them: the description exchange (if any), earlier
 * questions and answers, and the current question, with the photo attached to the first user turn.
 * Every turn sends the whole conversation; when it would not fit the context, older exchanges are
 * dropped by the rule in `fitConversation`.
 */
import { IMAGE_TOKEN, type ChatTurn } from './prompt.ts';

/** One finished question and its answer (or an exchange such as the description). */
export interface Exchange {
  question: string;
  answer: string;
}

/** The turns for a new question: earlier exchanges in order, then the question; photo first. */
export function conversationTurns(earlier: readonly Exchange[], question: string): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const exchange of earlier) {
    turns.push({ role: 'user', text: exchange.question });
    turns.push({ role: 'assistant', text: exchange.answer });
  }
  turns.push({ role: 'user', text: question });
  turns[0] = { ...turns[0]!, withImage: true };
  return turns;
}

/** A conversation cut to fit, and how many earlier exchanges were left out. */
export interface FittedConversation {
  turns: ChatTurn[];
  droppedExchanges: number;
  tokens: number;
}

/** Thrown when even the photo and the current question alone exceed the budget. */
export class ConversationTooLongError extends Error {
  constructor(
    readonly tokens: number,
    readonly budget: number,
  ) {
    super(
      `The question with the photo needs ${tokens} tokens, more than the ${budget} the conversation may use.`,
    );
  }
}

/**
 * The trimming rule: the photo and the current question always stay; while the prompt needs more
 * than `budget` tokens, the oldest earlier exchange (a user turn and the assistant's answer) is
 * dropped, and the photo moves to the first user turn that remains. `countTokens` measures a
 * candidate prompt the way the model will see it (image tokens expanded).
 */
export function fitConversation(
  turns: readonly ChatTurn[],
  countTokens: (turns: readonly ChatTurn[]) => number,
  budget: number,
): FittedConversation {
  const last = turns[turns.length - 1];
  if (!last || last.role !== 'user') throw new Error('A conversation must end with a question.');
  const hasImage = turns.some((t) => t.withImage);
  let kept = [...turns];
  let dropped = 0;
  let tokens = countTokens(kept);
  while (tokens > budget && kept.length > 1) {
    // Drop the oldest exchange: its user turn and everything up to the next user turn.
    let next = 1;
    while (next < kept.length - 1 && kept[next]!.role !== 'user') next++;
    kept = kept.slice(next);
    if (hasImage) kept[0] = { ...kept[0]!, withImage: true };
    dropped++;
    tokens = countTokens(kept);
  }
  if (tokens > budget) throw new ConversationTooLongError(tokens, budget);
  return { turns: kept, droppedExchanges: dropped, tokens };
}

/** A prompt for people to read: each run of image tokens shown once with its count. */
export function collapseImageTokens(prompt: string): string {
  const run = new RegExp(`(?:${IMAGE_TOKEN.replace(/[<>|]/g, '\\$&')})+`, 'g');
  return prompt.replace(run, (tokens) => {
    const count = tokens.length / IMAGE_TOKEN.length;
    return count === 1 ? IMAGE_TOKEN : `${IMAGE_TOKEN}×${count}`;
  });
}

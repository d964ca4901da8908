/**
 * Explaining each photo's score: its streamed quality description and a chat about it. Every photo
 * keeps its own description and conversation; every question sends the whole conversation so far
 * (description first) with the photo, and the worker trims it to the context by a stated rule.
 */
import type { StateCreator } from 'zustand';
import { ModelCallError, type GenerationProgress } from '../model/client.ts';
import { conversationTurns, type Exchange } from '../model/conversation.ts';
import { CONTEXT_TOKENS, explainRecipeFor, type ExplainRecipe } from '../model/explain-recipes.ts';
import { generationLimitsFromLink } from '../model/generation-limits.ts';
import { isWhereQuestion, whereQuestionPrompt, type BoxReading } from '../model/grounding.ts';
import type {
  GenerationRequest,
  ModelError,
  PromptInfo,
  Sampling,
  StopReason,
} from '../model/protocol.ts';
import {
  answerWords,
  detectQuestionKind,
  questionPrompt,
  type AnswerConfidence,
  type QuestionKind,
} from '../model/questions.ts';
import { isCancelled } from './errors.ts';
import type { AppState, StoreContext } from './index.ts';

/** Where a piece of generated text is. */
export type GenerationStatus = 'waiting' | 'streaming' | 'done' | 'stopped' | 'failed';

/** A description or an answer, as it streams in. */
export interface GeneratedText {
  status: GenerationStatus;
  text: string;
  tokens: number;
  tokensPerSecond: number;
  stopReason?: StopReason;
  /** The prompt it was generated from (token count, earlier exchanges dropped). */
  prompt?: PromptInfo;
  error?: ModelError;
  /** Drawn with sampling (Regenerate) rather than greedy. */
  sampled?: boolean;
  /** Stopped because the person switched to another photo; it starts again on coming back. */
  interrupted?: boolean;
  /** Started again after such a pause. */
  restarted?: boolean;
  /** What a "where" answer says as a box: drawn on the photo, or why not (grounding.ts). */
  grounding?: BoxReading;
}

/** One question about the photo and the model's answer. */
export interface ChatExchange {
  id: string;
  question: string;
  kind: QuestionKind;
  answer: GeneratedText & { confidence?: AnswerConfidence };
}

/** What has been said about one photo. */
export interface PhotoChat {
  description: GeneratedText | null;
  exchanges: ChatExchange[];
  /** The prompt of the latest generation for this photo (debug view). */
  lastPrompt: PromptInfo | null;
}

/**
 * Limits for generation; the URL can change them (`?maxTokens=24&context=1024`) for tests, within
 * the bounds of model/generation-limits.ts.
 */
export interface ChatSettings {
  /** Overrides the recipe's max new tokens for descriptions and answers. */
  maxTokens: number | null;
  contextTokens: number;
  /** What the link asked for that was limited or ignored, in words (null when nothing was). */
  notice: string | null;
}

export interface ChatSlice {
  chats: Record<string, PhotoChat>;
  chatSettings: ChatSettings;
  /** Reads generation limits from the URL. */
  initChat(params: URLSearchParams): void;
  /**
   * Starts the description of the photo on screen once it is scored, unless it already has one
   * (a description stopped by switching photos starts again).
   */
  describeWhenScored(photoId: string): void;
  /** Stops descriptions of photos other than the one now on screen, so its text goes first. */
  pauseTextOffScreen(onScreen: string): void;
  /** Describes a photo again: a new draw (sampled), replacing the old description. */
  regenerateDescription(photoId: string): void;
  /** Asks a question about a photo; `kind` is the suggested question's declared kind. */
  askQuestion(photoId: string, question: string, kind?: QuestionKind): void;
  /** Stops whatever is being generated for a photo; the text so far stays. */
  stopGenerating(photoId: string): void;
  /** Forgets a photo's questions and answers (the description stays). */
  clearChat(photoId: string): void;
  /** Drops everything said about a removed photo. */
  forgetPhotoChat(photoId: string): void;
}

const EMPTY_CHAT: PhotoChat = { description: null, exchanges: [], lastPrompt: null };

function errorOf(error: unknown): ModelError {
  return error instanceof ModelCallError
    ? error.detail
    : {
        kind: 'unknown',
        message: error instanceof Error ? error.message : String(error),
        advice: '',
      };
}

/** The user turn a question was sent as ("where" questions also ask for a box). */
function sentPrompt(kind: QuestionKind, question: string, recipe: ExplainRecipe): string {
  return kind === 'open' && isWhereQuestion(question)
    ? whereQuestionPrompt(question)
    : questionPrompt(kind, question, recipe);
}

/** The earlier exchanges a new question carries: the description, then finished answers. */
function earlierExchanges(chat: PhotoChat, recipe: ExplainRecipe): Exchange[] {
  const earlier: Exchange[] = [];
  const d = chat.description;
  if (d && (d.status === 'done' || d.status === 'stopped') && d.text.trim()) {
    earlier.push({ question: recipe.describePrompt, answer: d.text });
  }
  for (const e of chat.exchanges) {
    const a = e.answer;
    if ((a.status === 'done' || a.status === 'stopped') && a.text.trim()) {
      earlier.push({ question: sentPrompt(e.kind, e.question, recipe), answer: a.text });
    }
  }
  return earlier;
}

export const createChatSlice =
  ({ model: client, pipeline }: StoreContext): StateCreator<AppState, [], [], ChatSlice> =>
  (set, get) => {
    /** The generation running (or queued) for each photo: one at a time per photo. */
    const running = new Map<
      string,
      { controller: AbortController; target: 'description' | string }
    >();
    let exchangeCounter = 0;
    const chatOf = (photoId: string) => get().chats[photoId] ?? EMPTY_CHAT;
    const patchChat = (photoId: string, change: (chat: PhotoChat) => Partial<PhotoChat>) =>
      set((s) => {
        const chat = s.chats[photoId] ?? EMPTY_CHAT;
        return { chats: { ...s.chats, [photoId]: { ...chat, ...change(chat) } } };
      });

    /** Updates the description or one exchange's answer. */
    const patchTarget = (
      photoId: string,
      target: 'description' | string,
      change: Partial<ChatExchange['answer']>,
    ) =>
      patchChat(photoId, (chat) =>
        target === 'description'
          ? { description: chat.description ? { ...chat.description, ...change } : null }
          : {
              exchanges: chat.exchanges.map((e) =>
                e.id === target ? { ...e, answer: { ...e.answer, ...change } } : e,
              ),
            },
      );

    const recipe = () => explainRecipeFor(get().model.recipe.name);

    /** Runs one generation for a photo and streams it into `target`. */
    const generate = async (
      photoId: string,
      target: 'description' | string,
      request: Omit<GenerationRequest, 'photoId' | 'contextTokens'>,
    ) => {
      const controller = new AbortController();
      // Removing the photo stops its text too.
      const signal = AbortSignal.any([controller.signal, pipeline.signal(photoId)]);
      running.set(photoId, { controller, target });
      const owns = () => running.get(photoId)?.controller === controller;
      // A newer run on the same target (Regenerate) owns it; this one must not write there.
      const superseded = () => {
        const now = running.get(photoId);
        return now !== undefined && now.controller !== controller && now.target === target;
      };
      const onProgress = (event: GenerationProgress) => {
        if (signal.aborted) return;
        if (event.type === 'generation-started') {
          patchTarget(photoId, target, {
            status: 'streaming',
            prompt: event.prompt,
            ...(event.confidence ? { confidence: event.confidence } : {}),
          });
          patchChat(photoId, () => ({ lastPrompt: event.prompt }));
        } else {
          patchTarget(photoId, target, {
            text: event.text,
            tokens: event.tokens,
            tokensPerSecond: event.tokensPerSecond,
          });
        }
      };
      try {
        if (get().model.status !== 'ready') {
          throw new ModelCallError({
            kind: 'not-loaded',
            message: 'The model is not loaded.',
            advice: 'Load the model, then try again.',
          });
        }
        const result = await pipeline.textQueue.run(
          photoId,
          () =>
            client.generate(
              { ...request, photoId, contextTokens: get().chatSettings.contextTokens },
              pipeline.source(photoId),
              onProgress,
              signal,
            ),
          signal,
        );
        if (superseded() || !get().photos[photoId]) return;
        patchTarget(photoId, target, {
          status: result.stopReason === 'cancelled' ? 'stopped' : 'done',
          text: result.text,
          tokens: result.tokens,
          tokensPerSecond: result.tokensPerSecond,
          stopReason: result.stopReason,
        });
      } catch (error) {
        if (!get().photos[photoId] || superseded()) return;
        const detail = errorOf(error);
        patchTarget(
          photoId,
          target,
          isCancelled(error) || detail.kind === 'cancelled'
            ? { status: 'stopped', stopReason: 'cancelled' }
            : { status: 'failed', error: detail },
        );
      } finally {
        if (owns()) running.delete(photoId);
      }
    };

    const maxTokens = (fallback: number) => get().chatSettings.maxTokens ?? fallback;

    const sampledDraw = (): Sampling => ({
      kind: 'sample',
      temperature: 0.8,
      topP: 0.9,
      topK: 50,
      seed: Math.floor(Math.random() * 2 ** 31),
    });

    const startDescription = (photoId: string, sampling: Sampling, restarted = false) => {
      const r = recipe();
      patchChat(photoId, () => ({
        description: {
          status: 'waiting',
          text: '',
          tokens: 0,
          tokensPerSecond: 0,
          sampled: sampling.kind === 'sample',
          ...(restarted ? { restarted } : {}),
        },
      }));
      void generate(photoId, 'description', {
        turns: conversationTurns([], r.describePrompt),
        maxNewTokens: maxTokens(r.description.maxNewTokens),
        sampling,
        repetitionPenalty: r.description.repetitionPenalty,
      });
    };

    const stop = (photoId: string) => {
      const run = running.get(photoId);
      if (!run) return;
      running.delete(photoId);
      run.controller.abort();
    };

    return {
      chats: {},
      chatSettings: { maxTokens: null, contextTokens: CONTEXT_TOKENS, notice: null },

      initChat(params) {
        const { maxTokens, contextTokens, notices } = generationLimitsFromLink(params);
        set({
          chatSettings: {
            maxTokens,
            contextTokens,
            notice: notices.length > 0 ? notices.join(' ') : null,
          },
        });
      },

      describeWhenScored(photoId) {
        const description = chatOf(photoId).description;
        if ((description && !description.interrupted) || running.has(photoId)) return;
        if (get().scores[photoId]?.status !== 'done' || get().model.status !== 'ready') return;
        // Only the photo on screen is described: its text jumps the text queue, while the score
        // lane keeps scoring the rest of the shoot between its tokens.
        if (get().selectedPhotoId !== photoId) return;
        startDescription(
          photoId,
          description?.sampled ? sampledDraw() : { kind: 'greedy' },
          description?.interrupted === true,
        );
      },

      pauseTextOffScreen(onScreen) {
        for (const [photoId, run] of [...running]) {
          if (photoId === onScreen || run.target !== 'description') continue;
          stop(photoId);
          patchTarget(photoId, 'description', {
            status: 'stopped',
            stopReason: 'cancelled',
            interrupted: true,
          });
        }
      },

      regenerateDescription(photoId) {
        stop(photoId);
        startDescription(photoId, sampledDraw());
      },

      askQuestion(photoId, question, declared) {
        const text = question.trim();
        if (!text || running.has(photoId)) return;
        const r = recipe();
        const kind = declared ?? detectQuestionKind(text);
        const earlier = earlierExchanges(chatOf(photoId), r);
        const id = `q${++exchangeCounter}`;
        patchChat(photoId, (chat) => ({
          exchanges: [
            ...chat.exchanges,
            {
              id,
              question: text,
              kind,
              answer: { status: 'waiting', text: '', tokens: 0, tokensPerSecond: 0 },
            },
          ],
        }));
        const words = answerWords(kind, text, r);
        // "Where is the blur?" asks for a box too; the answer is drawn if it reads as one.
        const where = kind === 'open' && isWhereQuestion(text);
        void generate(photoId, id, {
          turns: conversationTurns(earlier, sentPrompt(kind, text, r)),
          maxNewTokens: maxTokens(r.answer.maxNewTokens),
          sampling: { kind: 'greedy' },
          repetitionPenalty: r.answer.repetitionPenalty,
          ...(words.length >= 2 ? { answerWords: words } : {}),
        }).then(() => {
          const answer = chatOf(photoId).exchanges.find((e) => e.id === id)?.answer;
          if (where && answer?.status === 'done') {
            patchTarget(photoId, id, {
              grounding: get().showAnswerRegion(photoId, text, answer.text),
            });
          }
        });
      },

      stopGenerating(photoId) {
        stop(photoId);
      },

      clearChat(photoId) {
        if (running.get(photoId)?.target !== 'description') stop(photoId);
        patchChat(photoId, () => ({ exchanges: [] }));
      },

      forgetPhotoChat(photoId) {
        stop(photoId);
        set((s) => {
          const chats = { ...s.chats };
          delete chats[photoId];
          return { chats };
        });
      },
    };
  };

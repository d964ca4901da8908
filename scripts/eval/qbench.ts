/**
 * Q-Bench-style multiple-choice questions (LLVisionQA's JSON: a list of `{ img_path, question,
 * candidates, correct_ans }`): read, turned into the lettered prompt Q-Bench's evaluation uses, and
 * answered by the option letter with the highest probability as the first answer token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { normalize, resolve, sep } from 'node:path';
import { PATHWAY_RECIPE } from '../../src/model/explain-recipes.ts';

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

/** One question, checked against the photos folder. */
export interface ChoiceQuestion {
  /** Position in the JSON list (its key in the results). */
  index: number;
  image: string;
  question: string;
  candidates: string[];
  /** Index of the correct candidate. */
  correct: number;
}

/** The questions that can be asked and those left out, with why. */
export interface ChoiceQuestions {
  questions: ChoiceQuestion[];
  skipped: { index: number; image: string; reason: string }[];
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Reads the JSON (a list, or `{ questions: [...] }`); image paths are relative to `photosDir`. */
export function readChoiceQuestions(path: string, photosDir: string): ChoiceQuestions {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const list = Array.isArray(parsed)
    ? parsed
    : ((parsed as { questions?: unknown[] } | null)?.questions ?? null);
  if (!Array.isArray(list)) throw new Error(`${path} is not a list of questions.`);
  const root = resolve(photosDir);
  const out: ChoiceQuestions = { questions: [], skipped: [] };
  list.forEach((item: Record<string, unknown>, index) => {
    const image = text(item.img_path ?? item.image ?? item.image_path);
    const skip = (reason: string) => out.skipped.push({ index, image, reason });
    const question = text(item.question);
    const candidates = Array.isArray(item.candidates) ? item.candidates.map(String) : [];
    const answer = text(item.correct_ans ?? item.correct_answer ?? item.answer ?? item.gt_ans);
    if (!image) return skip('no image');
    if (!question) return skip('no question');
    if (candidates.length < 2 || candidates.length > LETTERS.length)
      return skip(`${candidates.length} candidates (2 to ${LETTERS.length} can be asked)`);
    let correct = candidates.findIndex((c) => c.trim() === answer);
    if (correct < 0 && /^[A-F]$/.test(answer)) correct = LETTERS.indexOf(answer);
    if (correct < 0 || correct >= candidates.length)
      return skip(answer ? `the answer "${answer}" is not a candidate` : 'no correct answer');
    const full = normalize(resolve(root, image));
    if (!full.startsWith(root + sep) || !existsSync(full)) return skip('missing image');
    out.questions.push({ index, image, question, candidates, correct });
  });
  return out;
}

/** The option letters of a question (A, B, … one per candidate). */
export const optionLetters = (q: ChoiceQuestion) => LETTERS.slice(0, q.candidates.length);

/** Q-Bench's multiple-choice prompt: the question, the lettered options, the letter instruction. */
export function choicePrompt(q: ChoiceQuestion): string {
  const options = q.candidates.map((c, i) => `${LETTERS[i]}. ${c}`).join('\n');
  return `${q.question}\n${options}\n${PATHWAY_RECIPE.choiceInstruction}`;
}

/**
 * Asks the Q-Bench questions through the eval page, one row per question, image mode and model
 * appended to qbench.csv as it goes (a rerun skips answered ones), and prints the accuracy.
 */
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { IMAGE_MODE_LABELS, type ImageMode } from '../../src/model/image-mode.ts';
import type { EvalBrowser } from './browser.ts';
import { progressBar } from './progress.ts';
import { choicePrompt, optionLetters, readChoiceQuestions } from './qbench.ts';

const COLUMNS = [
  'index',
  'image',
  'mode',
  'model',
  'precision',
  'backend',
  'correct',
  'predicted',
  'right',
  'probabilities',
  'ms',
  'error',
] as const;
type AnswerRow = Record<(typeof COLUMNS)[number], string>;

/** Accuracy per image mode (null when no question was answered in it). */
export interface QbenchSummary {
  questions: number;
  skipped: number;
  modes: Record<string, { answered: number; right: number; accuracy: number } | null>;
}

const rowKey = (r: Pick<AnswerRow, 'index' | 'mode' | 'model' | 'precision'>) =>
  JSON.stringify([r.index, r.mode, r.model, r.precision]);

function readAnswers(path: string): AnswerRow[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  // A line cut off by a killed run is dropped (that question is asked again).
  const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  if (whole !== text) writeFileSync(path, whole);
  return whole.trim() ? (parse(whole, { columns: true }) as AnswerRow[]) : [];
}

export async function askQuestions(options: {
  file: string;
  photosDir: string;
  outDir: string;
  modes: ImageMode[];
  tag: { model: string; precision: string };
  backend: string;
  browser: EvalBrowser;
  limit: number;
  /** Loads the model (once) before the first question: a rerun with nothing to ask loads none. */
  ensureLoaded: () => Promise<void>;
  /** Runs a call, loading the model again and retrying once if its worker died. */
  withModel: <T>(call: () => Promise<T>) => Promise<T>;
}): Promise<QbenchSummary> {
  const { browser, tag } = options;
  const { questions, skipped } = readChoiceQuestions(options.file, options.photosDir);
  console.log(
    `\nQ-Bench questions: ${questions.length + skipped.length} in ${options.file}: ${questions.length} asked, ${skipped.length} skipped`,
  );
  for (const s of skipped.slice(0, 20))
    console.log(`  skipped question ${s.index} (${s.image || 'no image'}): ${s.reason}`);
  const path = join(options.outDir, 'qbench.csv');
  const done = new Set(readAnswers(path).map(rowKey));
  const todo = options.modes
    .flatMap((mode) => questions.map((q) => ({ q, mode })))
    .filter(({ q, mode }) => !done.has(rowKey({ index: String(q.index), mode, ...tag })))
    .slice(0, options.limit);
  if (todo.length > 0) {
    await options.ensureLoaded();
    const bar = progressBar(todo.length, 'questions');
    for (const [i, { q, mode }] of todo.entries()) {
      bar.update(i, `${mode} #${q.index}`);
      const letters = optionLetters(q);
      const row: AnswerRow = {
        index: String(q.index),
        image: q.image,
        mode,
        ...tag,
        backend: options.backend,
        correct: letters[q.correct]!,
        predicted: '',
        right: '',
        probabilities: '',
        ms: '',
        error: '',
      };
      try {
        const answer = await options.withModel(() =>
          browser.call('answer', browser.photoUrl(1, q.image), mode, choicePrompt(q), letters),
        );
        row.predicted = answer.top;
        row.right = answer.top === row.correct ? '1' : '0';
        row.probabilities = answer.options
          .map((o) => `${o.word}:${o.probability.toFixed(6)}`)
          .join(' ');
        row.ms = answer.ms.toFixed(0);
      } catch (error) {
        row.error = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
      }
      const header = !existsSync(path) || statSync(path).size === 0;
      appendFileSync(
        path,
        stringify([COLUMNS.map((c) => row[c])], { header, columns: [...COLUMNS] }),
      );
    }
    bar.update(todo.length, 'done');
    bar.stop();
  }
  const rows = readAnswers(path);
  const asked = new Set(questions.map((q) => String(q.index)));
  const summary: QbenchSummary = {
    questions: questions.length,
    skipped: skipped.length,
    modes: {},
  };
  console.log(
    'Q-Bench accuracy (the option letter with the highest first-token probability, over the options asked):',
  );
  for (const mode of options.modes) {
    const mine = rows.filter(
      (r) =>
        r.mode === mode &&
        r.model === tag.model &&
        r.precision === tag.precision &&
        r.error === '' &&
        asked.has(r.index),
    );
    const right = mine.filter((r) => r.right === '1').length;
    summary.modes[mode] = mine.length
      ? { answered: mine.length, right, accuracy: right / mine.length }
      : null;
    console.log(
      `  ${IMAGE_MODE_LABELS[mode]}: ${mine.length ? `accuracy ${((100 * right) / mine.length).toFixed(1)} % (${right} of ${mine.length})` : 'no question answered'}`,
    );
  }
  return summary;
}

/**
 * The report card: a 1200×630 PNG (the usual link-preview size) drawn on the device from a shared
 * result — thumbnail if chosen, the score big, level bars, the weakest pixel measures, a
 * description excerpt, model and precision. One small canvas, drawn in milliseconds, so it is
 * drawn on the main thread; PNG encoding happens inside convertToBlob.
 */
import { formatMeasure, LABELS } from '../components/PixelAnalysis/measureRows.ts';
import { describeDtypes } from '../model/precision.ts';
import { LEVELS } from '../model/recipes.ts';
import { verdictForScore } from '../model/verdict.ts';
import { score100, type SharedMeasure, type SharedResult } from './payload.ts';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** Where the score and its 0–100 form are drawn (tests read these pixels back). */
export const SCORE_BOX = { x: 340, y: 70, width: 480, height: 190 } as const;
const THUMB_BOX = { x: 40, y: 80, size: 260 } as const;

const COLOURS = {
  background: '#ffffff',
  text: '#1d1d1f',
  muted: '#6b6b70',
  track: '#ececf0',
  line: '#d9d9de',
  levels: {
    excellent: '#2e9e5b',
    good: '#7cb342',
    fair: '#f2b233',
    poor: '#ef7d32',
    bad: '#d84040',
  },
  verdicts: { good: '#2fa84f', fair: '#e0a31a', poor: '#c8322f', unknown: '#9a9aa0' },
} as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

type Ctx = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

const VERDICT_RANK = { poor: 0, fair: 1, unknown: 3, good: 2 } as const;

/** The measures worth a line on the card: the weakest first (poor, fair, good), then by app order. */
export function topMeasures(measures: readonly SharedMeasure[], count: number): SharedMeasure[] {
  return measures
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.verdict !== 'unknown')
    .sort((a, b) => VERDICT_RANK[a.m.verdict] - VERDICT_RANK[b.m.verdict] || a.i - b.i)
    .slice(0, count)
    .map(({ m }) => m);
}

/**
 * Greedy word wrap to `maxLines` lines no wider than `maxWidth`; the last line ends with "…" when
 * text is left over. Newlines in the text become spaces (an excerpt, not a layout).
 */
export function wrapLines(
  text: string,
  maxWidth: number,
  maxLines: number,
  width: (s: string) => number,
): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (!line || width(candidate) <= maxWidth) {
      line = candidate;
      used++;
      continue;
    }
    lines.push(line);
    line = '';
    if (lines.length === maxLines) break;
    line = word;
    used++;
  }
  if (line) lines.push(line);
  if (used < words.length) {
    let last = lines[maxLines - 1] ?? '';
    while (last && width(`${last}…`) > maxWidth) last = last.slice(0, -1);
    lines[maxLines - 1] = `${last.trimEnd()}…`;
  }
  // A single word wider than the line is cut rather than run off the card.
  return lines.map((l) => {
    let cut = l;
    while (cut.length > 1 && width(cut) > maxWidth) cut = `${cut.slice(0, -2)}…`;
    return cut;
  });
}

function measureLabel(key: SharedMeasure['key']): string {
  return LABELS.find(([k]) => k === key)?.[1] ?? key;
}

function drawThumbnail(ctx: Ctx, thumbnail: ImageBitmap | null) {
  const { x, y, size } = THUMB_BOX;
  ctx.fillStyle = COLOURS.track;
  ctx.fillRect(x, y, size, size);
  if (thumbnail) {
    const scale = Math.min(size / thumbnail.width, size / thumbnail.height);
    const w = thumbnail.width * scale;
    const h = thumbnail.height * scale;
    ctx.drawImage(thumbnail, x + (size - w) / 2, y + (size - h) / 2, w, h);
  } else {
    ctx.fillStyle = COLOURS.muted;
    ctx.font = `20px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.fillText('photo not included', x + size / 2, y + size / 2 + 7);
    ctx.textAlign = 'left';
  }
}

function drawScore(ctx: Ctx, result: SharedResult) {
  const { x, y } = SCORE_BOX;
  ctx.fillStyle = COLOURS.text;
  ctx.font = `bold 132px ${FONT}`;
  const score = result.score.toFixed(2);
  ctx.fillText(score, x, y + 120);
  const scoreWidth = ctx.measureText(score).width;
  ctx.fillStyle = COLOURS.muted;
  ctx.font = `40px ${FONT}`;
  ctx.fillText('/ 5', x + scoreWidth + 12, y + 120);
  // The level the score stands for, as on the score card (not the most probable single level).
  const verdict = LEVELS.find((level) => level.key === verdictForScore(result.score))!;
  ctx.font = `32px ${FONT}`;
  ctx.fillStyle = COLOURS.text;
  ctx.fillText(`${Math.round(score100(result.score))} / 100 · ${verdict.label}`, x, y + 175);
}

function drawLevelBars(ctx: Ctx, result: SharedResult) {
  const x = SCORE_BOX.x;
  LEVELS.forEach((level, i) => {
    const p = result.probabilities[i]!;
    const rowY = 290 + i * 34;
    ctx.fillStyle = COLOURS.text;
    ctx.font = `20px ${FONT}`;
    ctx.fillText(level.label, x, rowY + 17);
    ctx.fillStyle = COLOURS.track;
    ctx.fillRect(x + 110, rowY, 300, 20);
    ctx.fillStyle = COLOURS.levels[level.key];
    ctx.fillRect(x + 110, rowY, 300 * p, 20);
    ctx.fillStyle = COLOURS.text;
    ctx.textAlign = 'right';
    ctx.fillText(`${(p * 100).toFixed(1)}%`, x + 480, rowY + 17);
    ctx.textAlign = 'left';
  });
}

function drawMeasures(ctx: Ctx, measures: SharedMeasure[]) {
  const x = 870;
  const width = CARD_WIDTH - x - 40;
  if (measures.length === 0) return;
  ctx.fillStyle = COLOURS.muted;
  ctx.font = `18px ${FONT}`;
  ctx.fillText('MEASURED FROM THE PIXELS', x, 96);
  measures.forEach((m, i) => {
    const rowY = 130 + i * 84;
    ctx.fillStyle = COLOURS.verdicts[m.verdict];
    ctx.fillRect(x, rowY - 20, 5, 66);
    ctx.fillStyle = COLOURS.text;
    ctx.font = `bold 21px ${FONT}`;
    const value = formatMeasure(m.key, { ...m, value: m.value ?? NaN });
    ctx.fillText(`${measureLabel(m.key)}  ${value}`, x + 16, rowY);
    ctx.font = `17px ${FONT}`;
    ctx.fillStyle = COLOURS.muted;
    wrapLines(m.reading, width - 16, 2, (s) => ctx.measureText(s).width).forEach((line, l) => {
      ctx.fillText(line, x + 16, rowY + 24 + l * 21);
    });
  });
}

function drawFooter(ctx: Ctx, result: SharedResult) {
  ctx.fillStyle = COLOURS.line;
  ctx.fillRect(40, 470, CARD_WIDTH - 80, 1);
  if (result.description) {
    ctx.fillStyle = COLOURS.text;
    ctx.font = `italic 21px ${FONT}`;
    wrapLines(result.description, CARD_WIDTH - 80, 3, (s) => ctx.measureText(s).width).forEach(
      (line, l) => ctx.fillText(line, 40, 505 + l * 28),
    );
  }
  ctx.fillStyle = COLOURS.muted;
  ctx.font = `17px ${FONT}`;
  const backend = result.device === 'webgpu' ? 'WebGPU' : 'WASM (CPU)';
  const footer = `${result.model} · ${describeDtypes(result.dtypes)} · ${backend} · ${result.recipe} recipe, single crop · scored on the device with Quality Lens`;
  const [line] = wrapLines(footer, CARD_WIDTH - 80, 1, (s) => ctx.measureText(s).width);
  ctx.fillText(line ?? '', 40, 610);
}

/** Draws the whole card on a CARD_WIDTH × CARD_HEIGHT context. */
export function drawReportCard(ctx: Ctx, result: SharedResult, thumbnail: ImageBitmap | null) {
  ctx.fillStyle = COLOURS.background;
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = COLOURS.muted;
  ctx.font = `bold 20px ${FONT}`;
  ctx.fillText('QUALITY LENS · REPORT CARD', 40, 50);
  drawThumbnail(ctx, thumbnail);
  drawScore(ctx, result);
  drawLevelBars(ctx, result);
  drawMeasures(ctx, topMeasures(result.measures, 4));
  drawFooter(ctx, result);
}

/** The report card as a PNG blob. */
export async function reportCardPng(
  result: SharedResult,
  thumbnail: ImageBitmap | null,
): Promise<Blob> {
  const canvas = new OffscreenCanvas(CARD_WIDTH, CARD_HEIGHT);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas available');
  drawReportCard(ctx, result, thumbnail);
  return canvas.convertToBlob({ type: 'image/png' });
}

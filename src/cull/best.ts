/**
 * The best photo of a group, with a one-line reason built from its numbers.
 *
 * The photographer's pick always wins. Otherwise frames with a plain technical fault are set
 * aside first, as a person culling a burst does: clearly softer than the group's sharpest, more
 * clipped than the least clipped, or exposed unlike the rest of the burst. Of the others the
 * highest score wins; scores closer than SCORE_TIE count as equal, and then the sharper, then
 * the less clipped frame wins.
 */
import type { CullMarks } from './marks.ts';

/** What choosing needs to know about one member of a group. */
export interface BestCandidate {
  id: string;
  /** The model's 1–5 score, once scored. */
  score: number | null;
  /** The sharpness measure's detail figure (higher is crisper). */
  sharpness: number | null;
  /** Shares 0–1 of blown highlights and crushed shadows. */
  highlights: number | null;
  shadows: number | null;
  /** Exposure in EV from mid-grey. */
  ev: number | null;
  marks: CullMarks;
}

export interface BestChoice {
  photoId: string;
  reason: string;
  /** Whether the photographer chose it (their pick) rather than the app. */
  byPhotographer: boolean;
}

/** Scores closer than this are a tie (below what the 1–5 scale reliably tells apart). */
export const SCORE_TIE = 0.05;
/** A frame under this share of the group's sharpest detail is "clearly softer". */
export const SOFTER = 0.85;
/**
 * A frame is "more clipped" when its clipped share (highlights + shadows) passes the least clipped
 * frame's by half and two percentage points (blur alone trims a clipped share a little).
 */
export const MORE_CLIPPED_RATIO = 0.5;
export const MORE_CLIPPED = 0.02;
/** EV from the burst's median exposure beyond which a frame is "exposed unlike the rest". */
export const EXPOSED_APART = 0.5;

const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
const clippedOf = (c: BestCandidate) => (c.highlights ?? 0) + (c.shadows ?? 0);
const known = (v: number | null): v is number => v !== null && Number.isFinite(v);

function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The group's best, or null when every member is rejected. Members in capture order. */
export function chooseBest(members: BestCandidate[]): BestChoice | null {
  const n = members.length;
  const picks = members.filter((m) => m.marks.flag === 'pick');
  if (picks.length > 0) {
    const pick = [...picks].sort((a, b) => b.marks.stars - a.marks.stars)[0]!;
    return {
      photoId: pick.id,
      reason: n > 1 ? `your pick of ${n}` : 'your pick',
      byPhotographer: true,
    };
  }
  const open = members.filter((m) => m.marks.flag !== 'reject');
  if (open.length === 0) return null;
  if (n === 1) return { photoId: open[0]!.id, reason: 'no similar frames', byPhotographer: false };

  // Faults are looked for in turn, each among the frames without the earlier ones: an overexposed
  // frame looks crisper (more contrast) and an underexposed one less clipped than the real best.
  const evs = open.map((m) => m.ev).filter(known);
  const medianEv = evs.length > 0 ? medianOf(evs) : 0;
  const exposureFault = (m: BestCandidate) =>
    known(m.ev) && Math.abs(m.ev - medianEv) > EXPOSED_APART
      ? m.ev > medianEv
        ? 'brighter'
        : 'darker'
      : null;
  const exposed = open.filter((m) => !exposureFault(m));
  const leastClipped = Math.min(...(exposed.length > 0 ? exposed : open).map(clippedOf));
  const clipFault = (m: BestCandidate) =>
    clippedOf(m) > leastClipped * (1 + MORE_CLIPPED_RATIO) + MORE_CLIPPED ? 'clipped' : null;
  const unclipped = exposed.filter((m) => !clipFault(m));
  const sharpest = Math.max(
    0,
    ...(unclipped.length > 0 ? unclipped : open).map((m) => m.sharpness).filter(known),
  );
  const sharpFault = (m: BestCandidate) =>
    sharpest > 0 && known(m.sharpness) && m.sharpness < SOFTER * sharpest ? 'softer' : null;
  const faults = (m: BestCandidate): string[] =>
    [exposureFault(m), clipFault(m), sharpFault(m)].filter((f): f is string => f !== null);
  const sound = open.filter((m) => faults(m).length === 0);
  const field = sound.length > 0 ? sound : open;

  const ranked = [...field].sort((a, b) => {
    const sa = a.score ?? -Infinity;
    const sb = b.score ?? -Infinity;
    if (Math.abs(sa - sb) >= SCORE_TIE && (known(a.score) || known(b.score))) return sb - sa;
    const sharp = (b.sharpness ?? 0) - (a.sharpness ?? 0);
    if (sharp !== 0) return sharp;
    return clippedOf(a) - clippedOf(b);
  });
  const best = ranked[0]!;
  return { photoId: best.id, reason: reasonFor(best, open, faults, n), byPhotographer: false };
}

/** "sharpest of 6; score 4.1 vs 3.2–3.9; no clipped highlights" from the numbers. */
function reasonFor(
  best: BestCandidate,
  open: BestCandidate[],
  faults: (m: BestCandidate) => string[],
  n: number,
): string {
  const others = open.filter((m) => m !== best);
  const parts: string[] = [];

  const sharpnesses = open.map((m) => m.sharpness).filter(known);
  if (known(best.sharpness) && sharpnesses.length > 0) {
    const top = Math.max(...sharpnesses);
    parts.push(
      best.sharpness >= top
        ? `sharpest of ${n}`
        : `sharp (${Math.round((best.sharpness / top) * 100)} % of the sharpest)`,
    );
  }

  const otherScores = others.map((m) => m.score).filter(known);
  if (known(best.score)) {
    const low = Math.min(...otherScores).toFixed(1);
    const high = Math.max(...otherScores).toFixed(1);
    const range = otherScores.length === 0 ? '' : ` vs ${low === high ? low : `${low}–${high}`}`;
    parts.push(`score ${best.score.toFixed(1)}${range}`);
    const higher = others.filter((m) => known(m.score) && m.score >= best.score! + SCORE_TIE);
    if (higher.length > 0) {
      const why = [...new Set(higher.flatMap(faults))];
      parts.push(`higher-scored frames are ${why.length > 0 ? why.join(' or ') : 'alike'}`);
    }
  } else {
    parts.push('not scored yet');
  }

  if (known(best.highlights)) {
    parts.push(
      best.highlights < 0.001
        ? 'no clipped highlights'
        : `${pct(best.highlights)} clipped highlights`,
    );
  }
  return parts.join('; ');
}

/**
 * Kiosk mode: whether this page runs as an unattended kiosk, and its settings. A kiosk build
 * (`npm run kiosk:bundle`, VITE_KIOSK=1) is always a kiosk unless the URL says `?kiosk=off` (where
 * the operator lands after leaving with the PIN); any build becomes one with `?kiosk`. Settings
 * come from `kiosk.json` beside index.html (written by the bundle, editable by the operator), then
 * from the URL for the timings, each held inside bounds. The PIN is only ever kept as a SHA-256
 * hash, never in the URL.
 */
import { parseModelSource, type ModelSource } from '../model/source.ts';

export interface KioskSettings {
  /** Seconds without a touch, key or click before the countdown to a fresh start begins. */
  idleSeconds: number;
  /** Seconds the countdown shows before everything the visitor left is wiped. */
  countdownSeconds: number;
  /** Hex SHA-256 of the operator's PIN; null when none was set (leaving then asks no PIN). */
  pinSha256: string | null;
  /** The local model folder the kiosk runs; null when none is known (the kiosk says so). */
  model: ModelSource | null;
  /** Problems with the settings, in words, shown to the operator (never blocking). */
  problems: string[];
}

export const IDLE_BOUNDS = { min: 5, max: 3600, default: 90 } as const;
export const COUNTDOWN_BOUNDS = { min: 3, max: 60, default: 10 } as const;

/** Whether the page is a kiosk: `?kiosk` (any value but off/0/false) or a kiosk build. */
export function isKioskMode(search: string, kioskBuild: boolean): boolean {
  const params = new URLSearchParams(search);
  const value = params.get('kiosk');
  if (value === null) return kioskBuild;
  return !['off', '0', 'false', 'no'].includes(value.trim().toLowerCase());
}

function boundedSeconds(
  value: unknown,
  bounds: { min: number; max: number },
  name: string,
  problems: string[],
): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) {
    problems.push(`${name} “${String(value).slice(0, 20)}” is not a number of seconds.`);
    return null;
  }
  const clamped = Math.min(bounds.max, Math.max(bounds.min, Math.round(n)));
  if (clamped !== Math.round(n)) {
    problems.push(`${name} ${n} s is outside ${bounds.min}–${bounds.max} s; using ${clamped} s.`);
  }
  return clamped;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The settings from kiosk.json's content (anything: it is checked field by field), the URL and
 * the build's default model. Only a local model is accepted: a kiosk never downloads.
 */
export function parseKioskSettings(
  file: unknown,
  search: string,
  buildModel: string | undefined,
): KioskSettings {
  const problems: string[] = [];
  const json = file !== null && typeof file === 'object' ? (file as Record<string, unknown>) : {};
  const params = new URLSearchParams(search);
  const idleSeconds =
    boundedSeconds(params.get('idle'), IDLE_BOUNDS, 'Idle time', problems) ??
    boundedSeconds(json.idleSeconds, IDLE_BOUNDS, 'Idle time', problems) ??
    IDLE_BOUNDS.default;
  const countdownSeconds =
    boundedSeconds(params.get('countdown'), COUNTDOWN_BOUNDS, 'Countdown', problems) ??
    boundedSeconds(json.countdownSeconds, COUNTDOWN_BOUNDS, 'Countdown', problems) ??
    COUNTDOWN_BOUNDS.default;

  let pinSha256: string | null = null;
  if (typeof json.pinSha256 === 'string' && HEX64.test(json.pinSha256.toLowerCase())) {
    pinSha256 = json.pinSha256.toLowerCase();
  } else if (json.pinSha256 !== undefined) {
    problems.push('kiosk.json’s pinSha256 is not a SHA-256 hex digest; no PIN is asked.');
  }

  const candidates = [
    params.get('model'),
    typeof json.model === 'string' ? json.model : null,
    buildModel ?? null,
  ].filter((v): v is string => Boolean(v));
  let model: ModelSource | null = null;
  for (const candidate of candidates) {
    const source = parseModelSource(candidate);
    if (source?.kind === 'local') {
      model = source;
      break;
    }
    problems.push(
      `Model “${candidate.slice(0, 60)}” is not a local folder (local:<folder>); a kiosk never downloads.`,
    );
  }
  return { idleSeconds, countdownSeconds, pinSha256, model, problems };
}

/** Hex SHA-256 of a PIN (Web Crypto; also how `npm run kiosk:bundle` stores it). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads kiosk.json beside the app; a missing or unreadable file is an empty one. */
export async function fetchKioskFile(appBase: string): Promise<unknown> {
  try {
    const response = await fetch(new URL('kiosk.json', appBase), { cache: 'no-cache' });
    if (!response.ok) return {};
    return (await response.json()) as unknown;
  } catch {
    return {};
  }
}

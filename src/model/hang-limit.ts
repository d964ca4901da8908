/**
 * How long the model worker may stay silent in the middle of a call before it is taken for hung,
 * terminated and started again. 180 s by default: a slow CPU may take tens of seconds for one step
 * of the real model. A link may change it (`?hang=<seconds>`, used by the fault journeys to hang a
 * worker on purpose without waiting three minutes), but only within bounds, and the app says so:
 * a link could otherwise make every slow step look like a hang, or leave a hung worker unnoticed.
 */

/** The default: no step of the real model on a slow CPU comes near it. */
export const DEFAULT_HANG_SECONDS = 180;
/** The shortest a link may ask for: any single step of the fixture model fits many times over. */
export const MIN_HANG_SECONDS = 5;
/** The longest a link may ask for: longer, and a hung worker leaves the app waiting for nothing. */
export const MAX_HANG_SECONDS = 600;

/** The hang limit a link asks for, and the sentence the app shows about it (null: the default). */
export interface HangLimit {
  ms: number;
  notice: string | null;
}

const shown = (value: string) => (value.length > 24 ? `${value.slice(0, 24)}…` : value);

/** Reads `?hang=` (whole seconds), clamped to [MIN_HANG_SECONDS, MAX_HANG_SECONDS]. */
export function hangLimitFromLink(params: URLSearchParams): HangLimit {
  const value = params.get('hang');
  const defaultMs = DEFAULT_HANG_SECONDS * 1000;
  if (value === null) return { ms: defaultMs, notice: null };
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n <= 0) {
    return {
      ms: defaultMs,
      notice: `“${shown(value)}” is not a number of seconds for the model’s hang limit; using ${DEFAULT_HANG_SECONDS} s.`,
    };
  }
  const seconds = Math.min(MAX_HANG_SECONDS, Math.max(MIN_HANG_SECONDS, n));
  const clamped =
    seconds === n
      ? ''
      : ` (asked for ${n} s; it must be ${MIN_HANG_SECONDS}–${MAX_HANG_SECONDS} s)`;
  return {
    ms: seconds * 1000,
    notice: `This link sets the model’s hang limit to ${seconds} s${clamped}: a model step silent for longer restarts the model worker (the default is ${DEFAULT_HANG_SECONDS} s).`,
  };
}

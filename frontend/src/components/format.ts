// format.ts turns numbers and times into the short strings the screens show.

import { ZERO_TIME } from "../api/types";

/**
 * formatCountdown shows the remaining time of a challenge as m:ss, rounding
 * up so the display reads 0:00 only when the time is over.
 */
export function formatCountdown(remainingMs: number): string {
  const s = Number.isFinite(remainingMs) && remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** formatClock shows a position in a recording: m:ss.t, or h:mm:ss.t from an hour on. */
export function formatClock(ms: number): string {
  const t = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 100) : 0;
  const tenths = t % 10;
  const total = Math.floor(t / 10);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = `${String(s).padStart(2, "0")}.${tenths}`;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** isZeroTime reports whether an RFC 3339 time is Go's zero time (not set). */
export function isZeroTime(t: string): boolean {
  return t === "" || t === ZERO_TIME || t.startsWith("0001-01-01");
}

/** formatDate shows an RFC 3339 time as local "YYYY-MM-DD HH:MM", or "—" if unset. */
export function formatDate(t: string): string {
  if (isZeroTime(t)) {
    return "—";
  }
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) {
    return "—";
  }
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** formatScore shows a 0..1 score with two decimals. */
export function formatScore(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : "—";
}

/** formatOffset shows a signed millisecond offset, e.g. "+120 ms"; null is "—". */
export function formatOffset(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) {
    return "—";
  }
  const r = Math.round(ms);
  return `${r > 0 ? "+" : r < 0 ? "−" : "±"}${Math.abs(r)} ms`;
}

/** errorMessage is the text of a rejection or thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    return err.message;
  }
  return String(err);
}

// types.ts mirrors the payloads of the Go services (app/*.go) and of the
// events in app/events.go. Change both sides together.

/** Level is the coarse risk class the analysis assigns. */
export type Level = "low" | "medium" | "high";

/** SignalName names one of the seven detection signals. */
export type SignalName =
  | "temporal"
  | "occlusion"
  | "lighting"
  | "lipsync"
  | "boundary"
  | "virtual_camera"
  | "blink";

/** SIGNALS lists every signal in report order. */
export const SIGNALS: readonly SignalName[] = [
  "temporal",
  "occlusion",
  "lighting",
  "lipsync",
  "boundary",
  "virtual_camera",
  "blink",
];

/** Rect is a rectangle in pixels of the video frame. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** ZERO_TIME is how Go encodes a time that is not set yet (a running session's end). */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Session is one live interview, camera session or analysed file. */
export interface Session {
  id: string;
  kind: "live" | "file" | "camera";
  title: string;
  source: string;
  folder: string;
  /** RFC 3339. */
  startedAt: string;
  /** RFC 3339; ZERO_TIME while running. */
  endedAt: string;
  risk: number;
  level: Level | "";
  frames: number;
  dropped: number;
  reportPath: string;
  inputSha256: string;
}

/** Mark is a moment an interviewer flagged during a session. */
export interface Mark {
  id: number;
  sessionId: string;
  atMs: number;
  note: string;
  evidence: string;
  createdAt: string;
}

/** Sensitivity tunes how readily the analysis raises the risk level. */
export type Sensitivity = "low" | "normal" | "high";

/** Settings are the user's saved preferences. */
export interface Settings {
  storageDir: string;
  /** 0 keeps recordings forever. */
  retentionDays: number;
  bindLAN: boolean;
  sensitivity: Sensitivity;
}

/** Interview is a newly created live interview and how the candidate joins it. */
export interface Interview {
  id: string;
  title: string;
  candidateURL: string;
  whipURL: string;
  token: string;
  expiresAt: string;
}

/** Camera is a local video device. */
export interface Camera {
  device: string;
  index: number;
  name: string;
  driver: string;
  card: string;
  busInfo: string;
  module: string;
  capture: boolean;
  virtual: boolean;
  reason: string;
}

/** SignalScore is one signal's verdict on a frame. */
export interface SignalScore {
  name: SignalName;
  /** 0..1, higher is more suspicious. */
  score: number;
  reason: string;
  region: Rect | null;
}

/** OverlaySource says which kind of session an overlay belongs to. */
export type OverlaySource = "live" | "review" | "camera";

/** Overlay is the analysis of one frame, drawn over the video. */
export interface Overlay {
  source: OverlaySource;
  id: string;
  frame: number;
  timeMs: number;
  width: number;
  height: number;
  box: Rect | null;
  /** x0,y0,x1,y1,… for 68 points, or empty. */
  landmarks: number[];
  risk: number;
  level: Level;
  /** All seven signals, in report order. */
  signals: SignalScore[];
  /** 0..1. */
  audioLevel: number;
  lipOffsetMs: number | null;
  lipConfidence: number;
  dropped: number;
  latencyMs: number;
  /** JPEG of this frame, served by the window's asset server. */
  frameURL: string;
}

/** RiskWindow is the fused verdict over a stretch of a recording. */
export interface RiskWindow {
  startMs: number;
  endMs: number;
  risk: number;
  level: Level;
  scores: Record<SignalName, number>;
  reasons: string[];
}

/** ReviewInfo describes a recording opened for review. */
export interface ReviewInfo {
  id: string;
  path: string;
  title: string;
  durationMs: number;
  width: number;
  height: number;
  fps: number;
  frames: number;
}

/** ReviewProgress reports how far the background analysis of a recording is. */
export interface ReviewProgress {
  id: string;
  done: number;
  total: number;
  fps: number;
  finished: boolean;
  error: string;
}

/** ReviewWindowEvent carries one newly fused window of a recording. */
export interface ReviewWindowEvent {
  id: string;
  window: RiskWindow;
}

/** DeviceFinding is one clue about the candidate's capture device. */
export interface DeviceFinding {
  kind: string;
  label: string;
  reason: string;
  /** 0..1. */
  strength: number;
}

/** LiveState is the connection state of a live session. */
export interface LiveState {
  id: string;
  state: "waiting" | "connected" | "ended";
  message: string;
  devices: DeviceFinding[];
}

/** ChallengeKind names the liveness challenges the interviewer can ask for. */
export type ChallengeKind = "hand" | "turn" | "id";

/** Challenge is a running liveness challenge. */
export interface Challenge {
  id: string;
  sessionId: string;
  kind: ChallengeKind;
  title: string;
  instructions: string;
  seconds: number;
}

/** ChallengeUpdate reports a challenge's countdown and, at the end, its result. */
export interface ChallengeUpdate {
  id: string;
  sessionId: string;
  kind: ChallengeKind;
  remainingMs: number;
  state: "running" | "done";
  passed: boolean;
  score: number;
  reasons: string[];
}

/** ExportKind is a report format the review screen can write. */
export type ExportKind = "html" | "pdf" | "zip";

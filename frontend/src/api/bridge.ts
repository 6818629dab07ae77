// bridge.ts is the one place that reaches the Go services and the event bus
// Wails injects into the window: window.go.app.<Service>.<Method>(...) and
// window.runtime.EventsOnMultiple. The per-service modules next to it give
// each method a typed name; nothing outside src/api calls invoke directly.

import { inWindow, NotInWindowError } from "./wails";

/** ServiceName lists the Go services bound to the window. */
export type ServiceName =
  | "SessionService"
  | "LiveService"
  | "ReviewService"
  | "CameraService"
  | "ChallengeService"
  | "SettingsService"
  | "StatusService";

type BoundMethod = (...args: unknown[]) => Promise<unknown>;

interface GoRoot {
  app?: Record<string, Record<string, unknown> | undefined>;
}

interface Runtime {
  EventsOnMultiple?: (name: string, cb: (...data: unknown[]) => void, max: number) => () => void;
}

/**
 * invoke calls a bound Go method and resolves to its result. A Go error
 * rejects with an Error carrying the Go message; outside the window it
 * rejects with NotInWindowError. The result is not validated: the types in
 * types.ts are the contract.
 */
export async function invoke<T>(service: ServiceName, method: string, ...args: unknown[]): Promise<T> {
  if (!inWindow()) {
    throw new NotInWindowError();
  }
  const svc = (window.go as GoRoot | undefined)?.app?.[service];
  const fn = svc?.[method];
  if (typeof fn !== "function") {
    throw new Error(`${service}.${method} is not available in this version of Unmask`);
  }
  try {
    return (await (fn as BoundMethod).apply(svc, args)) as T;
  } catch (err: unknown) {
    throw asError(err);
  }
}

/**
 * subscribe calls cb with the payload of every event named name and returns
 * a function that unsubscribes. Outside the window it does nothing.
 */
export function subscribe<T>(name: string, cb: (payload: T) => void): () => void {
  if (!inWindow()) {
    return () => {};
  }
  const rt = window.runtime as Runtime | undefined;
  if (typeof rt?.EventsOnMultiple !== "function") {
    return () => {};
  }
  const off = rt.EventsOnMultiple(name, (...data: unknown[]) => cb(data[0] as T), -1);
  return typeof off === "function" ? off : () => {};
}

/** asError turns a promise rejection (Wails rejects with a string) into an Error. */
export function asError(err: unknown): Error {
  if (err instanceof Error) {
    return err;
  }
  if (typeof err === "string") {
    return new Error(err);
  }
  return new Error(String(err));
}

/** list returns xs, or an empty array when Go sent a nil slice (JSON null). */
export function list<T>(xs: T[] | null | undefined): T[] {
  return Array.isArray(xs) ? xs : [];
}

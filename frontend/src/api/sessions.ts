// sessions.ts wraps app.SessionService (past sessions) and app.LiveService
// (live interviews and the moments interviewers mark).

import { invoke, list } from "./bridge";
import type { Interview, Mark, Session } from "./types";

const S = "SessionService";
const L = "LiveService";

/** listSessions resolves to every stored session, newest first as Go sorts them. */
export async function listSessions(): Promise<Session[]> {
  return list(await invoke<Session[] | null>(S, "List"));
}

/** newInterview creates a live interview and resolves to the candidate's link. */
export function newInterview(title: string): Promise<Interview> {
  return invoke<Interview>(L, "NewInterview", title);
}

/** endInterview stops a live interview; its recording stays on disk. */
export function endInterview(id: string): Promise<void> {
  return invoke<void>(L, "EndInterview", id);
}

/** addMark marks the current moment of session id with a note. */
export function addMark(id: string, note: string): Promise<Mark> {
  return invoke<Mark>(L, "Mark", id, note);
}

/** listMarks resolves to the marks of session id. */
export async function listMarks(id: string): Promise<Mark[]> {
  return list(await invoke<Mark[] | null>(S, "Marks", id));
}

/** deleteSession removes a session and its files. */
export function deleteSession(id: string): Promise<void> {
  return invoke<void>(S, "Delete", id);
}

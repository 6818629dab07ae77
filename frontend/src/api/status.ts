// status.ts wraps app.StatusService (app/status.go). Only src/api imports
// the generated bindings.

import {
  ModelStatus as boundModelStatus,
  Version as boundVersion,
} from "../../wailsjs/go/app/StatusService";
import type { models } from "../../wailsjs/go/models";
import { call } from "./wails";

/** ModelStatus is one model file's state, as models.Status in Go. */
export type ModelStatus = models.Status;

/** getVersion resolves to the Unmask version, e.g. "0.1.0-dev". */
export function getVersion(): Promise<string> {
  return call(boundVersion);
}

/** getModelStatus resolves to one entry per registry model, sorted by name. */
export function getModelStatus(): Promise<ModelStatus[]> {
  return call(boundModelStatus);
}

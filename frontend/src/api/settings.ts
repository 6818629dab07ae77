// settings.ts wraps app.SettingsService.

import { invoke } from "./bridge";
import type { Settings } from "./types";

/** getSettings resolves to the saved settings. */
export function getSettings(): Promise<Settings> {
  return invoke<Settings>("SettingsService", "Get");
}

/**
 * saveSettings validates and stores s, resolving to the settings as saved.
 * It rejects with a message that names the invalid field.
 */
export function saveSettings(s: Settings): Promise<Settings> {
  return invoke<Settings>("SettingsService", "Save", s);
}

// Types for cookiegate's page API: `window.cookiegate`, the events it
// dispatches on `window`, and the consent record. The package holds no
// code to import: these declarations describe what cookiegate.js puts on
// the page. Bring them in with `import type { … } from 'cookiegate'`, or
// `/// <reference types="cookiegate" />`, or `"types": ["cookiegate"]` in
// tsconfig.json.

/** How a choice was made. */
export type CookiegateMethod = 'accept-all' | 'reject-all' | 'custom' | 'restored';

/**
 * One consent decision: what `getConsent()` returns, the detail of
 * `cookiegate:consent`, and what `data-consent-endpoint` receives.
 */
export interface CookiegateRecord {
  /** Random id of this consent (32 hex digits); the only identifier in it. */
  id: string;
  /** When the choice was made, ISO 8601 in UTC (`2026-11-22T10:15:00.000Z`). */
  timestamp: string;
  /** The catalogue `revision` the choice was made under. */
  revision: number;
  /** How the choice was made; `restored` when read back on a later page. */
  method: CookiegateMethod;
  /** Whether the browser sent Global Privacy Control. */
  gpc: boolean;
  /** Every category of the catalogue, granted or not. */
  categories: Record<string, boolean>;
  /** Every service of the catalogue, granted or not. */
  services: Record<string, boolean>;
}

/** The ids whose granted state a change flipped, in catalogue order. */
export interface CookiegateChanged {
  categories: string[];
  services: string[];
}

/** Detail of `cookiegate:change`. */
export interface CookiegateChangeDetail {
  changed: CookiegateChanged;
  /** The record now in force; `null` after `reset()` or a reset in another tab. */
  record: CookiegateRecord | null;
}

/** Detail of `cookiegate:reload`. */
export interface CookiegateReloadDetail {
  /** The record that caused the reload; `null` after `reset()`. */
  record: CookiegateRecord | null;
}

/** `window.cookiegate`: there synchronously once cookiegate.js has run. */
export interface Cookiegate {
  /**
   * Resolves (with this object) once the module has started; rejects when
   * it could not start (the console says why; nothing needing consent loads).
   */
  readonly ready: Promise<Cookiegate>;
  /** As the "Accept all" button. */
  acceptAll(): void;
  /** As the "Reject all" button. */
  rejectAll(): void;
  /** Grants exactly these categories (plus the required ones). */
  accept(categories: string | readonly string[]): void;
  /** Whether the current choice grants this category; `false` before a choice. */
  acceptedCategory(id: string): boolean;
  /** Whether the current choice grants this service; `false` before a choice. */
  acceptedService(id: string): boolean;
  /** The current record, or `null` before a choice. */
  getConsent(): CookiegateRecord | null;
  showBanner(): void;
  showPreferences(): void;
  /** Hides the banner and the preferences dialog. */
  hide(): void;
  /** Forgets the choice, clears non-necessary cookies, asks again (or reloads). */
  reset(): void;
}

/** The events cookiegate dispatches on `window`. */
export interface CookiegateEventMap {
  /** The module has started. */
  'cookiegate:ready': CustomEvent<null>;
  /** A choice was made, restored on load, or followed from another tab. */
  'cookiegate:consent': CustomEvent<CookiegateRecord>;
  /** An existing choice was replaced by one that grants differently. */
  'cookiegate:change': CustomEvent<CookiegateChangeDetail>;
  /** A withdrawal needs a reload, which follows shortly (not cancellable). */
  'cookiegate:reload': CustomEvent<CookiegateReloadDetail>;
  /** The preferences dialog opened. */
  'cookiegate:preferences-shown': CustomEvent<null>;
  /** The preferences dialog closed, by any means. */
  'cookiegate:preferences-hidden': CustomEvent<null>;
}

declare global {
  // `window.cookiegate` and the bare global `cookiegate`.
  // eslint-disable-next-line no-var
  var cookiegate: Cookiegate;
  interface WindowEventMap extends CookiegateEventMap {}
}

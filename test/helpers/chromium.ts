// Launching Debian's Chromium for browser tests: the flags this machine needs, and skip-or-fail when it is missing.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is (override with CHROMIUM_PATH). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Under CI a missing browser fails the suite instead of skipping it. */
export const ON_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
/** Whether the browser is missing here. */
export const MISSING = !existsSync(CHROMIUM);
/** Skip browser suites only on a developer machine without Chromium. */
export const SKIP_BROWSER = MISSING && !ON_CI;

/**
 * Warn once, for a suite that will be skipped.
 * @example
 * warnIfSkipped('demo browser tests');
 */
export function warnIfSkipped(suite: string): void {
  if (SKIP_BROWSER) console.warn(`${suite} skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH; under CI this fails instead)`);
}

/**
 * Launch headless Chromium with a fresh profile and no background networking.
 * @example
 * const browser = await launchChromium();
 */
export async function launchChromium(): Promise<Browser> {
  if (MISSING) throw new Error(`Chromium is required under CI but is missing at ${CHROMIUM}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

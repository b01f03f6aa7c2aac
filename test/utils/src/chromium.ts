import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`) with the flags DESIGN.md gives; no browser is downloaded. */
export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
} as const satisfies LaunchOptions;

/** Launches Debian's Chromium headless through playwright-core. Close it when done. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...CHROMIUM_LAUNCH_OPTIONS, args: [...CHROMIUM_LAUNCH_OPTIONS.args] });
}

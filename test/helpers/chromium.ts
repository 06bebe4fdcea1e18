/** Debian's Chromium for browser tests: the flags this machine needs and a fresh profile each launch. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { requireService } from './requires.js';

const CHROMIUM = '/usr/bin/chromium';

/** True when Chromium is installed (under CI=true a missing one fails instead of skipping). */
export const chromiumAvailable = (): boolean => requireService('Chromium', existsSync(CHROMIUM), 'apt-get install chromium');

/** A headless Chromium with a fresh profile (Playwright takes it instead of --user-data-dir); close() removes the profile. */
export async function launchChromium({
  args = [],
  ...options
}: {
  viewport: { width: number; height: number };
  locale?: string;
  /** More command-line flags for this launch. */
  args?: string[];
}): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'lantern-chromium-'));
  try {
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      ...options,
      // Without the background-networking flags Chromium keeps calling out, which this machine refuses.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...args,
      ],
    });
    return {
      browser,
      async close() {
        try {
          await browser.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

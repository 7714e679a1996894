// Debian's Chromium for Playwright, and Chinese fonts so screenshots of the (Chinese) UI are
// readable. Installed on demand (as root with apt-get) rather than skipping the browser tests;
// Playwright's own browser download cannot work offline.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let aptUpdated = false;

function aptInstall(pkg) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
}

const isRoot = () => !process.getuid || process.getuid() === 0;

function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (!isRoot()) {
    throw new Error(`Chromium is missing at ${CHROMIUM}; install it: sudo apt-get install -y chromium`);
  }
  aptInstall('chromium');
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}

/** True when fontconfig knows a font covering Chinese. */
function hasChineseFont() {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false; // no fontconfig at all
  }
}

/**
 * Without a CJK font Chromium draws every Chinese character as a box. Only screenshots suffer
 * (text assertions read the DOM), so a non-root run without fonts just warns.
 */
function ensureChineseFonts() {
  if (hasChineseFont()) return;
  if (!isRoot()) {
    console.warn('No Chinese font: screenshots will show boxes; install one: sudo apt-get install -y fonts-noto-cjk');
    return;
  }
  aptInstall('fonts-noto-cjk');
  if (!hasChineseFont()) console.warn('fonts-noto-cjk installed, but fontconfig still lists no Chinese font');
}

function launchChromium() {
  const executablePath = ensureChromium();
  ensureChineseFonts();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

module.exports = { launchChromium };

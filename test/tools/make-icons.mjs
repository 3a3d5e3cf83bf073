// Renders resources/icons/icon.svg to the PNG sizes electron-builder and the window need, with headless Debian Chromium.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const iconDir = path.resolve(here, '..', '..', 'resources', 'icons');
// 1024 feeds the macOS .icns (electron-builder needs >= 512), 256 the Windows .ico, 512 Linux and the window icon.
const SIZES = [1024, 512, 256];

const svg = await readFile(path.join(iconDir, 'icon.svg'));
const dataUrl = `data:image/svg+xml;base64,${svg.toString('base64')}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">` +
        `<img id="i" alt="" width="${size}" height="${size}" style="display:block" src="${dataUrl}"></body></html>`,
    );
    await page.locator('#i').evaluate((img) => img.decode());
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    const name = size === 1024 ? 'icon.png' : `icon-${size}.png`;
    await writeFile(path.join(iconDir, name), png);
    console.log(`wrote resources/icons/${name} (${png.length} bytes)`);
    await page.close();
  }
} finally {
  await browser.close();
}

import { deflateSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The app icons of the web app manifest, drawn at build time (no binary files in the repository). */
export const PWA_ICONS = [
  { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
] as const;

const ACCENT = [0x1f, 0x5f, 0xd6] as const; // --mega-accent
const WHITE = [0xff, 0xff, 0xff] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/**
 * A square RGB PNG: the accent colour with a white "M" of three bars. `safe` is the share of the
 * side the drawing keeps to: a maskable icon's drawing stays inside the middle 80% circle.
 */
export function drawIcon(size: number, { safe = 1, rounded = true }: { safe?: number; rounded?: boolean } = {}): Buffer {
  const rows: Buffer[] = [];
  const radius = rounded ? size * 0.18 : 0;
  const inner = size * safe * 0.5;
  const left = (size - inner) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0, then RGB
    for (let x = 0; x < size; x++) {
      const dx = Math.max(radius - x, x - (size - 1 - radius), 0);
      const dy = Math.max(radius - y, y - (size - 1 - radius), 0);
      const outside = radius > 0 && dx * dx + dy * dy > radius * radius;
      const u = (x - left) / inner;
      const v = (y - left) / inner;
      const inM = v >= 0 && v <= 1 && ((u >= 0 && u < 0.2) || (u >= 0.8 && u <= 1) || (u >= 0.4 && u < 0.6 && v <= 0.7) || (v < 0.2 && u >= 0 && u <= 1));
      const [r, g, b] = outside ? WHITE : inM ? WHITE : ACCENT;
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** Emits {@link PWA_ICONS} into the build (before vite-plugin-pwa lists the files it precaches). */
export function pwaIcons(): Plugin {
  return {
    name: 'mega:pwa-icons',
    apply: 'build',
    generateBundle() {
      for (const icon of PWA_ICONS) {
        const size = Number(icon.sizes.split('x')[0]);
        const source = icon.purpose === 'maskable' ? drawIcon(size, { safe: 0.6, rounded: false }) : drawIcon(size, { safe: 0.7 });
        this.emitFile({ type: 'asset', fileName: icon.src, source });
      }
    },
  };
}

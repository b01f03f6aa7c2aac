import type { RgbaImage } from './png.js';

/** Side of the generated demo images, in pixels. */
export const DEMO_IMAGE_SIZE = 96;

/** The motifs demo images are drawn with, so that neighbouring images look different. */
export type DemoPattern = 'diagonal' | 'rings' | 'checks';

/** HSL (hue in degrees, saturation and lightness 0..1) to 8-bit RGB. */
function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const k = (n: number) => (n + hue / 30) % 12;
  const a = saturation * Math.min(lightness, 1 - lightness);
  const f = (n: number) => lightness - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** A square, opaque image in shades of `hue`: a gradient with a light motif over it. */
export function demoImage(hue: number, pattern: DemoPattern, size = DEMO_IMAGE_SIZE): RgbaImage {
  const data = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const t = (x + y) / (2 * (size - 1));
      let lightness = 0.3 + 0.4 * t;
      if (pattern === 'diagonal' && Math.floor((x + y) / 12) % 2 === 0) lightness += 0.12;
      if (pattern === 'rings' && Math.floor(Math.hypot(x - centre, y - centre) / 8) % 2 === 0) lightness += 0.12;
      if (pattern === 'checks' && (Math.floor(x / 16) + Math.floor(y / 16)) % 2 === 0) lightness += 0.12;
      const [r, g, b] = hslToRgb((hue + 40 * t) % 360, 0.65, Math.min(lightness, 0.9));
      data.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

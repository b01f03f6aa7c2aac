import { PNG } from 'pngjs';

/** An image as 8-bit RGBA pixels, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  /** `width * height * 4` bytes. */
  data: Buffer;
}

export const PNG_MIME_TYPE = 'image/png';

export function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  image.data.copy(png.data);
  return PNG.sync.write(png);
}

export function decodePng(bytes: Buffer): RgbaImage {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data };
}

/**
 * Shrinks an image so that its longer side is at most `maxSide` pixels, averaging the source
 * pixels each target pixel covers. Images already small enough are returned as they are.
 */
export function scaleDown(image: RgbaImage, maxSide: number): RgbaImage {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  if (scale === 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x += 1) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy += 1) {
        for (let sx = x0; sx < x1; sx += 1) {
          const source = (sy * image.width + sx) * 4;
          for (let c = 0; c < 4; c += 1) sum[c]! += image.data[source + c]!;
        }
      }
      const count = (y1 - y0) * (x1 - x0);
      const target = (y * width + x) * 4;
      for (let c = 0; c < 4; c += 1) data[target + c] = Math.round(sum[c]! / count);
    }
  }
  return { width, height, data };
}

import { describe, expect, it } from 'vitest';
import { encodePng } from '../images/png.js';
import { checkContent } from '../upload/content-check.js';
import { acceptedMediaType } from '../upload/media-types.js';

function segment(marker: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(marker, 0);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
}

/** The segments of a JPEG that name its size, with an EXIF orientation when given; no pixels. */
function jpegHeader(width: number, height: number, options: { orientation?: number; withSize?: boolean } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  if (options.orientation) {
    const tiff = Buffer.alloc(26);
    tiff.write('II', 0, 'latin1');
    tiff.writeUInt16LE(42, 2);
    tiff.writeUInt32LE(8, 4); // the first IFD
    tiff.writeUInt16LE(1, 8); // one entry: Orientation, SHORT, 1 value
    tiff.writeUInt16LE(0x0112, 10);
    tiff.writeUInt16LE(3, 12);
    tiff.writeUInt32LE(1, 14);
    tiff.writeUInt16LE(options.orientation, 18);
    parts.push(segment(0xffe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])));
  } else {
    parts.push(segment(0xffe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')));
  }
  if (options.withSize ?? true) {
    const frame = Buffer.alloc(15);
    frame[0] = 8;
    frame.writeUInt16BE(height, 1);
    frame.writeUInt16BE(width, 3);
    frame[5] = 3;
    parts.push(segment(0xffc0, frame));
  }
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

function riffWave(): Buffer {
  const bytes = Buffer.alloc(64);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(56, 4);
  bytes.write('WAVEfmt ', 8, 'latin1');
  return bytes;
}

function oggOpus(): Buffer {
  const bytes = Buffer.alloc(64);
  bytes.write('OggS', 0, 'latin1');
  bytes.write('OpusHead', 28, 'latin1');
  return bytes;
}

describe('content check', () => {
  it('accepts a PNG declared as image/png and reads its width and height', async () => {
    const png = encodePng({ width: 5, height: 3, data: Buffer.alloc(5 * 3 * 4, 200) });
    expect(await checkContent(png, 'image/png')).toEqual({ ok: true, width: 5, height: 3 });
  });

  it('reports the displayed size of a JPEG turned by its EXIF orientation', async () => {
    expect(await checkContent(jpegHeader(30, 20), 'image/jpeg')).toEqual({ ok: true, width: 30, height: 20 });
    expect(await checkContent(jpegHeader(30, 20, { orientation: 6 }), 'image/jpeg')).toEqual({ ok: true, width: 20, height: 30 });
    expect(await checkContent(jpegHeader(30, 20, { orientation: 3 }), 'image/jpeg')).toEqual({ ok: true, width: 30, height: 20 });
  });

  it('accepts sounds by their magic bytes, with no size, whatever codec parameters the detected type has', async () => {
    expect(await checkContent(riffWave(), 'audio/wav')).toEqual({ ok: true, width: null, height: null });
    expect(await checkContent(oggOpus(), 'audio/ogg')).toEqual({ ok: true, width: null, height: null });
  });

  it('refuses bytes of another type than declared, naming what they are', async () => {
    const png = encodePng({ width: 1, height: 1, data: Buffer.alloc(4) });
    expect(await checkContent(png, 'image/jpeg')).toMatchObject({ ok: false, detected: 'image/png' });
    expect(await checkContent(riffWave(), 'image/png')).toMatchObject({ ok: false, detected: 'audio/wav' });
  });

  it('refuses text, HTML and unknown bytes whatever they are declared as', async () => {
    for (const text of ['just text', '<!doctype html><script>alert(1)</script>', '<svg xmlns="http://www.w3.org/2000/svg"/>']) {
      expect(await checkContent(Buffer.from(text), 'image/png')).toEqual({ ok: false, detected: null, message: 'The file is not image/png: its format is not recognised.' });
    }
  });

  it('refuses an image whose size cannot be read', async () => {
    expect(await checkContent(jpegHeader(30, 20, { withSize: false }), 'image/jpeg')).toMatchObject({ ok: false, detected: 'image/jpeg' });
  });
});

describe('accepted media types', () => {
  it('knows the allowlist under the names browsers give, and nothing else', () => {
    expect(acceptedMediaType('IMAGE/PNG')).toBe('image/png');
    expect(acceptedMediaType('image/jpg')).toBe('image/jpeg');
    expect(acceptedMediaType('audio/mp3')).toBe('audio/mpeg');
    expect(acceptedMediaType('audio/ogg; codecs=opus')).toBe('audio/ogg');
    for (const type of ['image/svg+xml', 'text/html', 'application/pdf', 'video/quicktime', 'constructor', 'toString']) expect(acceptedMediaType(type)).toBeUndefined();
  });
});

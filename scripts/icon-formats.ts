/**
 * The two icon containers the installers need, written by hand because both are simple: a Windows
 * .ico (a directory of PNG images, allowed since Windows Vista) and a macOS .icns (the 'icns'
 * magic, the file length, then typed chunks of PNG data). Pure functions of PNG bytes; tested in
 * test/unit/scripts/icon-formats.test.ts by reading the files back.
 */

export interface SizedPng {
  size: number;
  data: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk (it is always first, at byte 16). */
export function pngDimensions(png: Uint8Array): { width: number; height: number } {
  if (png.length < 24 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function checkSquare({ size, data }: SizedPng): void {
  const { width, height } = pngDimensions(data);
  if (width !== size || height !== size) throw new Error(`a ${size}px icon has a ${width}x${height} image`);
}

/** ICO sizes: 256 at most; the directory stores 256 as 0. */
export function encodeIco(images: SizedPng[]): Uint8Array {
  images.forEach(checkSquare);
  if (images.some((i) => i.size > 256)) throw new Error('an .ico holds images of at most 256 pixels');
  const headerBytes = 6 + 16 * images.length;
  const out = new Uint8Array(headerBytes + images.reduce((n, i) => n + i.data.length, 0));
  const view = new DataView(out.buffer);
  view.setUint16(0, 0, true); // reserved
  view.setUint16(2, 1, true); // 1 = icon
  view.setUint16(4, images.length, true);
  let offset = headerBytes;
  images.forEach((img, k) => {
    const e = 6 + 16 * k;
    out[e] = img.size % 256; // width (0 means 256)
    out[e + 1] = img.size % 256; // height
    out[e + 2] = 0; // no palette
    out[e + 3] = 0;
    view.setUint16(e + 4, 1, true); // colour planes
    view.setUint16(e + 6, 32, true); // bits per pixel
    view.setUint32(e + 8, img.data.length, true);
    view.setUint32(e + 12, offset, true);
    out.set(img.data, offset);
    offset += img.data.length;
  });
  return out;
}

/**
 * ICNS chunk types that hold PNG data, by pixel size. The @2x types (ic11-ic14) repeat a size for
 * Retina displays: 32 = 16@2x, 64 = 32@2x, 256 = 128@2x, 512 = 256@2x, 1024 = 512@2x (ic10).
 */
export const ICNS_TYPES: Record<number, string[]> = {
  16: ['icp4'],
  32: ['icp5', 'ic11'],
  64: ['icp6', 'ic12'],
  128: ['ic07'],
  256: ['ic08', 'ic13'],
  512: ['ic09', 'ic14'],
  1024: ['ic10'],
};

export function encodeIcns(images: SizedPng[]): Uint8Array {
  images.forEach(checkSquare);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (const img of images) {
    const types = ICNS_TYPES[img.size];
    if (!types) throw new Error(`.icns has no slot for ${img.size}px images (${Object.keys(ICNS_TYPES).join(', ')})`);
    for (const type of types) chunks.push({ type, data: img.data });
  }
  const total = 8 + chunks.reduce((n, c) => n + 8 + c.data.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const ascii = (s: string, at: number) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  ascii('icns', 0);
  view.setUint32(4, total); // big-endian, the whole file
  let at = 8;
  for (const c of chunks) {
    ascii(c.type, at);
    view.setUint32(at + 4, 8 + c.data.length); // the chunk with its 8-byte header
    out.set(c.data, at + 8);
    at += 8 + c.data.length;
  }
  return out;
}

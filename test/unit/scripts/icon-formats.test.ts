import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { encodeIcns, encodeIco, ICNS_TYPES, pngDimensions } from '../../../scripts/icon-formats';

const RESOURCES = path.resolve(import.meta.dirname, '../../../resources');
/** The smallest PNG header a reader needs: signature + IHDR with this width and height. */
function fakePng(size: number, fill: number): Uint8Array {
  const b = new Uint8Array(40).fill(fill);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, size);
  new DataView(b.buffer).setUint32(20, size);
  return b;
}

describe('encodeIco', () => {
  it('writes a directory whose entries point at the PNG bytes unchanged (256 stored as 0)', () => {
    const images = [16, 48, 256].map((size, k) => ({ size, data: fakePng(size, k + 1) }));
    const ico = encodeIco(images);
    const v = new DataView(ico.buffer);
    assert.deepEqual([v.getUint16(0, true), v.getUint16(2, true), v.getUint16(4, true)], [0, 1, 3]);
    images.forEach((img, k) => {
      const e = 6 + 16 * k;
      assert.equal(ico[e], img.size === 256 ? 0 : img.size);
      assert.equal(v.getUint16(e + 6, true), 32);
      const len = v.getUint32(e + 8, true);
      const off = v.getUint32(e + 12, true);
      assert.deepEqual(ico.subarray(off, off + len), img.data);
    });
    assert.equal(ico.length, 6 + 48 + 3 * 40);
  });

  it('refuses a mislabelled image or one over 256 px', () => {
    assert.throws(() => encodeIco([{ size: 32, data: fakePng(16, 0) }]), /32px icon has a 16x16 image/);
    assert.throws(() => encodeIco([{ size: 512, data: fakePng(512, 0) }]), /at most 256/);
  });
});

describe('encodeIcns', () => {
  it("is 'icns', the file length, then typed chunks whose lengths include their header", () => {
    const images = [16, 32, 1024].map((size, k) => ({ size, data: fakePng(size, k + 1) }));
    const icns = encodeIcns(images);
    const v = new DataView(icns.buffer);
    assert.equal(Buffer.from(icns.subarray(0, 4)).toString('latin1'), 'icns');
    assert.equal(v.getUint32(4), icns.length);
    const chunks: [string, number][] = [];
    for (let at = 8; at < icns.length; at += v.getUint32(at + 4)) {
      const type = Buffer.from(icns.subarray(at, at + 4)).toString('latin1');
      const data = icns.subarray(at + 8, at + v.getUint32(at + 4));
      chunks.push([type, pngDimensions(data).width]);
    }
    assert.deepEqual(chunks, [
      ['icp4', 16],
      ['icp5', 32],
      ['ic11', 32],
      ['ic10', 1024],
    ]);
  });

  it('refuses a size macOS has no slot for', () =>
    assert.throws(() => encodeIcns([{ size: 24, data: fakePng(24, 0) }]), /no slot for 24px/));
});

describe('the committed icons', () => {
  it('exist at every size the installers name, and the containers hold the sizes they should', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      assert.deepEqual(pngDimensions(fs.readFileSync(path.join(RESOURCES, 'icons', `${size}x${size}.png`))), {
        width: size,
        height: size,
      });
    }
    assert.deepEqual(pngDimensions(fs.readFileSync(path.join(RESOURCES, 'icon.png'))), { width: 1024, height: 1024 });
    const ico = fs.readFileSync(path.join(RESOURCES, 'icon.ico'));
    assert.deepEqual(
      [...Array(ico.readUInt16LE(4)).keys()].map((k) => ico[6 + 16 * k] || 256),
      [16, 24, 32, 48, 64, 128, 256],
    );
    const icns = fs.readFileSync(path.join(RESOURCES, 'icon.icns'));
    const types: string[] = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4))
      types.push(icns.subarray(at, at + 4).toString('latin1'));
    assert.deepEqual(types.sort(), Object.values(ICNS_TYPES).flat().sort());
  });
});

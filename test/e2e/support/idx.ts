/** A small IDX dataset folder (MNIST layout, 28x28, 10 classes) written by the test itself. */
import fs from 'node:fs';
import path from 'node:path';

function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2); // unsigned byte
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

export function writeIdxFolder(dir: string, train = 200, test = 50): void {
  fs.mkdirSync(dir, { recursive: true });
  const write = (prefix: string, n: number) => {
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    // Class c lights up row band c: learnable, and no two classes look alike.
    const images = new Uint8Array(n * 28 * 28);
    labels.forEach((c, i) => {
      for (let x = 0; x < 28; x++) images[i * 784 + (c * 2 + 4) * 28 + x] = 200 + ((i * 7 + x) % 50);
    });
    fs.writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte`), idx([n, 28, 28], images));
    fs.writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte`), idx([n], labels));
  };
  write('train', train);
  write('t10k', test);
}

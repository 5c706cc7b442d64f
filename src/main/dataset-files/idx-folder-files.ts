/**
 * Which files of an IDX dataset folder are which: a train and a test pair, recognised by name
 * (`train` or `test`/`t10k`, and `images` or `labels`, with or without `.gz`). One rule for the engine's
 * reader (engine/data/idx-folder.ts) and main's checks (dataset-facts.ts).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './dataset-error';

export interface IdxFolderFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

type Role = keyof IdxFolderFiles;

const ROLES: { role: Role; split: RegExp; kind: RegExp; describe: string }[] = [
  { role: 'trainImages', split: /train/, kind: /images/, describe: 'training images' },
  { role: 'trainLabels', split: /train/, kind: /labels/, describe: 'training labels' },
  { role: 'testImages', split: /test|t10k/, kind: /images/, describe: 'test images' },
  { role: 'testLabels', split: /test|t10k/, kind: /labels/, describe: 'test labels' },
];

/** Finds exactly one file per role in `dir`, or says which role has no or several candidates. */
export function findIdxFiles(dir: string): IdxFolderFiles {
  if (!existsSync(dir)) throw new DatasetError(dir, 'the IDX dataset folder does not exist');
  if (!statSync(dir).isDirectory()) throw new DatasetError(dir, 'is not a folder (expected a folder of IDX files)');
  const names = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  const found: Partial<IdxFolderFiles> = {};
  for (const { role, split, kind, describe } of ROLES) {
    const hits = names.filter((f) => {
      const lower = f.toLowerCase();
      return split.test(lower) && kind.test(lower);
    });
    if (hits.length === 0) {
      throw new DatasetError(
        dir,
        `no ${describe} file found (expected a name containing "${split.source.replace('|', '" or "')}" and "${kind.source}", ` +
          `like train-images-idx3-ubyte.gz or t10k-labels-idx1-ubyte)`,
      );
    }
    if (hits.length > 1) {
      throw new DatasetError(
        dir,
        `several candidate ${describe} files (${hits.join(', ')}); keep one dataset per folder`,
      );
    }
    found[role] = join(dir, hits[0]);
  }
  return found as IdxFolderFiles;
}

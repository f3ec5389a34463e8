// The two bundled datasets (exported from scikit-learn by scripts/export-datasets.py), read with
// gradstep's CSV loader.
import { readFileSync } from 'node:fs';
import { parseCsv } from 'gradstep';

const DATASETS = new URL('../datasets/', import.meta.url);

/** 1,797 8×8 images of handwritten digits: 64 features (pixel counts 0..16), classes 0..9. */
export function loadDigits() {
  return parseCsv(readFileSync(new URL('digits.csv', DATASETS), 'utf8'));
}

/** 569 breast-mass samples, 30 features; class 0 = malignant, 1 = benign (scikit-learn's coding). */
export function loadBreastCancer() {
  return parseCsv(readFileSync(new URL('breast_cancer.csv', DATASETS), 'utf8'));
}

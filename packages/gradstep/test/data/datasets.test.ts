// The bundled CSV files (exported by scripts/export-datasets.py): bytes, shapes, class counts and
// a few values known from scikit-learn's documentation, through the CSV loader.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv-dataset.js';

const read = (name: string) => readFileSync(new URL(`../../../../datasets/${name}`, import.meta.url), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const classCounts = (y: Float32Array) => y.reduce((counts, c) => ((counts[c] = (counts[c] ?? 0) + 1), counts), [] as number[]);

describe('bundled datasets', () => {
  it('digits.csv: 1,797 × 64 pixels 0..16 + label, the UCI test set', () => {
    const text = read('digits.csv');
    expect(sha256(text)).toBe('4faf08295f17d77e9a147ed5ea842ec501bd089cc6e61627f36ef15c1b48ea5b');
    const digits = parseCsv(text);
    expect(digits.samples).toBe(1797);
    expect(digits.features).toBe(64);
    expect(digits.X).toHaveLength(1797 * 64);
    expect(digits.featureNames[63]).toBe('pixel_63');
    expect(digits.targetName).toBe('label');
    expect(digits.X.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    // UCI's class counts of optdigits.tes.
    expect(classCounts(digits.y)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Array.from(digits.X.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(digits.y[0]).toBe(0);
  });

  it('breast_cancer.csv: 569 × 30 features + label (212 malignant = 0, 357 benign = 1)', () => {
    const text = read('breast_cancer.csv');
    expect(sha256(text)).toBe('5c3e458a6f8780b7dd2bc07e65dc975d149b6f8324cb7442a6ead4c5c9858d07');
    const cancer = parseCsv(text);
    expect(cancer.samples).toBe(569);
    expect(cancer.features).toBe(30);
    expect(cancer.featureNames[0]).toBe('mean_radius');
    expect(cancer.featureNames[29]).toBe('worst_fractal_dimension');
    expect(classCounts(cancer.y)).toEqual([212, 357]);
    // The first row of WDBC: mean radius 17.99, mean texture 10.38, worst area 2019, malignant.
    expect(cancer.X[0]).toBe(Math.fround(17.99));
    expect(cancer.X[1]).toBe(Math.fround(10.38));
    expect(cancer.X[23]).toBe(2019);
    expect(cancer.y[0]).toBe(0);
    // scikit-learn's documented ranges: mean area 143.5 … 2501.0.
    const meanArea = Array.from({ length: 569 }, (_, i) => cancer.X[i * 30 + 3]);
    expect(Math.min(...meanArea)).toBe(143.5);
    expect(Math.max(...meanArea)).toBe(2501);
  });
});

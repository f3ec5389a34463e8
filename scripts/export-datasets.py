#!/usr/bin/env python3
"""Exports scikit-learn's bundled copies of two UCI datasets to datasets/*.csv for the demo and tests.

    pip install --quiet scikit-learn && python3 scripts/export-datasets.py

digits.csv:        1,797 rows, pixel_0 ... pixel_63 (integers 0..16), label (0..9)
breast_cancer.csv: 569 rows, the 30 features (float64 written with Python's shortest round-trip
                   repr), label (0 = malignant, 1 = benign, scikit-learn's coding)

The output is deterministic (no shuffling, "\n" line ends), so its SHA-256 is checked by
packages/gradstep/test/data/datasets.test.ts. Re-running it with another scikit-learn version must
give the same bytes; if not, the bundled data changed and the checksums in that test need a look.
"""
import csv
import hashlib
import pathlib

import sklearn
from sklearn.datasets import load_breast_cancer, load_digits

OUT = pathlib.Path(__file__).resolve().parent.parent / "datasets"


def cell(value):
    # Integers without ".0" (digits), floats as repr: the shortest text that reads back to the same float64.
    as_float = float(value)
    return str(int(as_float)) if as_float.is_integer() else repr(as_float)


def export(name, bunch, header):
    path = OUT / f"{name}.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header + ["label"])
        for row, label in zip(bunch.data, bunch.target):
            writer.writerow([cell(v) for v in row] + [str(int(label))])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(f"{path.relative_to(OUT.parent)}: {bunch.data.shape[0]} rows x {bunch.data.shape[1]} features + label, sha256 {digest}")


def main():
    OUT.mkdir(exist_ok=True)
    print(f"scikit-learn {sklearn.__version__}")
    digits = load_digits()
    export("digits", digits, [f"pixel_{i}" for i in range(digits.data.shape[1])])
    cancer = load_breast_cancer()
    export("breast_cancer", cancer, [name.replace(" ", "_") for name in cancer.feature_names])


if __name__ == "__main__":
    main()

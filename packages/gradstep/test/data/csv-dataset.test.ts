// The CSV and array loaders: layouts, header detection, target columns, class encoding, and errors
// that name the line (or row) and the column.
import { describe, expect, it } from 'vitest';
import { datasetFromRows, parseCsv } from '../../src/data/csv-dataset.js';

describe('parseCsv', () => {
  it('reads features row-major and the last column as the target, with or without a header', () => {
    const data = parseCsv('a,b,label\n1,2,0\n3.5,-4e-1,1\r\n\n');
    expect(Array.from(data.X)).toEqual([1, 2, 3.5, Math.fround(-0.4)]);
    expect(Array.from(data.y)).toEqual([0, 1]);
    expect(data).toMatchObject({ samples: 2, features: 2, featureNames: ['a', 'b'], targetName: 'label' });
    const bare = parseCsv('1;2;3\n4;5;6', { delimiter: ';' });
    expect(bare.featureNames).toEqual(['x0', 'x1']);
    expect(Array.from(bare.y)).toEqual([3, 6]);
  });

  it('takes the target by name or index, or none; encodes text labels as classes', () => {
    const text = 'id,"diagnosis",radius\n7,M,17.99\n8,B,13.54\n9,M,20.5\n';
    const byName = parseCsv(text, { target: 'diagnosis', classes: true });
    expect(byName.classes).toEqual(['B', 'M']);
    expect(Array.from(byName.y)).toEqual([1, 0, 1]);
    expect(byName.featureNames).toEqual(['id', 'radius']);
    expect(Array.from(byName.X)).toEqual([7, Math.fround(17.99), 8, Math.fround(13.54), 9, 20.5]);
    const byIndex = parseCsv('5,1\n6,3\n7,10', { target: 0, classes: true });
    expect(byIndex.classes).toEqual([5, 6, 7]);
    expect(parseCsv('1,2\n3,4', { target: 'none' })).toMatchObject({ features: 2, y: new Float32Array(0) });
  });

  it('names the line and column of ragged or non-numeric input', () => {
    expect(() => parseCsv('a,b,y\n1,2,0\n3,4\n')).toThrow(RangeError);
    expect(() => parseCsv('a,b,y\n1,2,0\n3,4\n')).toThrow('parseCsv: line 3 has 2 fields, expected 3 as in line 1');
    expect(() => parseCsv('a,b,y\n1,2,0\n3,x7,1\n')).toThrow(TypeError);
    expect(() => parseCsv('a,b,y\n1,2,0\n3,x7,1\n')).toThrow('parseCsv: line 3, column 2 ("b"): "x7" is not a number');
    expect(() => parseCsv('1,2,0\n\n3,,1')).toThrow('parseCsv: line 3, column 2: the field is empty (a missing value)');
    expect(() => parseCsv('a,y\n1,0\nInfinity,1')).toThrow(/line 3, column 1 \("a"\): "Infinity" is not a finite number/);
    expect(() => parseCsv('a,y\n1,"0\n')).toThrow(/line 2 has an unclosed quote/);
    expect(() => parseCsv('a,y\n1,0', { target: 'label' })).toThrow(/target "label" is not a column name \(columns: a, y\)/);
    expect(() => parseCsv('')).toThrow(/no rows/);
    expect(() => parseCsv('a,b\n')).toThrow(/header but no data rows/);
  });
});

describe('datasetFromRows', () => {
  it('builds a dataset from number[][] and typed-array rows', () => {
    const data = datasetFromRows([[1, 2, 0], Float64Array.of(3, 4, 1)]);
    expect(Array.from(data.X)).toEqual([1, 2, 3, 4]);
    expect(Array.from(data.y)).toEqual([0, 1]);
    expect(datasetFromRows([[1, 'cat'], [2, 'dog']] as never, { classes: true }).classes).toEqual(['cat', 'dog']);
  });

  it('names the row and column of ragged or non-numeric rows', () => {
    expect(() => datasetFromRows([[1, 2, 0], [3, 0]])).toThrow(new RangeError('datasetFromRows: rows[1] has 2 values, expected 3 as rows[0]'));
    expect(() => datasetFromRows([[1, 2, 0], [3, '4', 0]] as never)).toThrow(new TypeError('datasetFromRows: rows[1][1] must be a number, got "4"'));
    expect(() => datasetFromRows([[1, NaN, 0]])).toThrow(new RangeError('datasetFromRows: rows[0][1] must be a finite number, got NaN'));
    expect(() => datasetFromRows([[1, 2], 5] as never)).toThrow(/rows\[1\] must be an array of numbers/);
    expect(() => datasetFromRows([[1]])).toThrow(/at least one feature/);
  });
});

describe('parseCsv header detection', () => {
  it('keeps the first row of a headerless file with text labels or a missing value', () => {
    const labelled = parseCsv('1.5,2.0,M\n3,4,B\n5,6,M', { classes: true });
    expect(labelled.y.length).toBe(3);
    expect(Array.from(labelled.y)).toEqual([1, 0, 1]);
    expect(() => parseCsv('1.5,,1\n3,4,0')).toThrow(/line 1, column 2: the field is empty/);
    expect(parseCsv('a,b,label\n1,2,0').y.length).toBe(1);
  });
});

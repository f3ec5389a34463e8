/**
 * Users' own data, from CSV text or from arrays of numbers, into the row-major layout the models
 * use, with errors that say where the bad value is.
 */
import { checkOptionNames, describe } from '../validate.js';
import type { Dataset } from './dataset.js';

/** Options of {@link parseCsv}: the delimiter, the header, the target column and class encoding. */
export interface CsvOptions {
  /** The field separator, one character. Default ','. */
  delimiter?: string;
  /** Whether the first line holds column names; 'auto' (default): yes if none of its fields is a number. */
  header?: boolean | 'auto';
  /**
   * The target column: 'last' (default), a column index from 0, a header name, or 'none' (every
   * column is a feature and y is empty).
   */
  target?: 'last' | 'none' | number | string;
  /**
   * Encode the target column as class indices: its distinct values (numbers, or any text such as
   * "M"/"B") sorted (numerically if all are numbers) become 0 … K − 1, listed in `classes`. Default
   * false: the target must be numeric and is kept as is.
   */
  classes?: boolean;
}

const CSV_OPTIONS = ['delimiter', 'header', 'target', 'classes'];

/** Options of {@link datasetFromRows}: the target column, feature names and class encoding. */
export interface RowsOptions {
  /** The target column: 'last' (default), a column index from 0, or 'none'. */
  target?: 'last' | 'none' | number;
  /** Feature names; default x0, x1, … */
  featureNames?: readonly string[];
  /** As CsvOptions.classes. */
  classes?: boolean;
}

const ROWS_OPTIONS = ['target', 'featureNames', 'classes'];

// The largest finite float32, (2 − 2^−23)·2^127. X and y are Float32Arrays: a larger number would be
// stored as ±Infinity, and the models' losses turn into NaN far from the line that caused it.
const FLOAT32_RANGE = '±3.4028234663852886e38';

/**
 * Parses CSV text (RFC 4180 quoting within a line; no line breaks inside fields) into a Dataset.
 * Empty lines are skipped; `\r\n` and `\n` line ends both work.
 *
 * Every line must have as many fields as the first; every feature (and, unless `classes`, the
 * target) must be a number: `Number(text)` after trimming spaces, not empty, finite, and within
 * float32's range (it is stored in a Float32Array; a value that rounds to the largest float32 is
 * fine). Line and column numbers in errors count from 1, as in a text editor or spreadsheet.
 *
 * ```ts
 * const data = parseCsv(readFileSync('datasets/breast_cancer.csv', 'utf8'));
 * data.X; data.y; data.features; // 30
 * ```
 *
 * @throws RangeError for a ragged line (naming the line and both field counts), a non-finite
 *   number or one beyond float32's range, or an unknown target column; TypeError for a field that is
 *   not a number (naming the line, the column and its header name), an unknown option name and
 *   arguments of the wrong type
 */
export function parseCsv(text: string, options?: CsvOptions): Dataset {
  const owner = 'parseCsv';
  if (typeof text !== 'string') throw new TypeError(`${owner}: text must be a string, got ${describe(text)}`);
  // Not a default parameter: `= {}` lets null through, and a misspelt name would fall back to a default.
  const given = checkOptionNames(owner, options, CSV_OPTIONS) as CsvOptions;
  const delimiter = given.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(`${owner}: delimiter must be one character other than a quote or a line break, got ${describe(delimiter)}`);
  }
  const lines: { number: number; fields: string[] }[] = [];
  const rawLines = text.split('\n');
  for (let i = 0; i < rawLines.length; i++) {
    const line = rawLines[i].endsWith('\r') ? rawLines[i].slice(0, -1) : rawLines[i];
    if (line.trim() === '') continue;
    lines.push({ number: i + 1, fields: splitCsvLine(owner, line, delimiter, i + 1) });
  }
  if (lines.length === 0) throw new RangeError(`${owner}: the text holds no rows`);
  const headerOption = given.header ?? 'auto';
  if (headerOption !== true && headerOption !== false && headerOption !== 'auto') {
    throw new TypeError(`${owner}: header must be true, false or 'auto', got ${describe(headerOption)}`);
  }
  const first = lines[0].fields;
  // 'auto': a header has no number in it. (A data line may hold text labels or a missing value, so
  // one non-numeric field is not enough to call it a header.)
  const hasHeader = headerOption === 'auto' ? first.every((field) => !isNumberText(field)) : headerOption;
  const columns = first.length;
  const names = hasHeader ? first.map((f) => f.trim()) : first.map((_, j) => `column ${j + 1}`);
  const dataLines = hasHeader ? lines.slice(1) : lines;
  if (dataLines.length === 0) throw new RangeError(`${owner}: the text has a header but no data rows`);

  let targetColumn: number;
  const target = given.target ?? 'last';
  if (target === 'last') targetColumn = columns - 1;
  else if (target === 'none') targetColumn = -1;
  else if (typeof target === 'number') targetColumn = checkColumnIndex(owner, target, columns);
  else if (typeof target === 'string') {
    targetColumn = hasHeader ? names.indexOf(target) : -1;
    if (targetColumn < 0) throw new RangeError(`${owner}: target ${describe(target)} is not a column name${hasHeader ? ` (columns: ${names.join(', ')})` : ' (the text has no header)'}`);
  } else throw new TypeError(`${owner}: target must be 'last', 'none', a column index or a column name, got ${describe(target)}`);
  const classes = checkClassesFlag(owner, given.classes);

  const samples = dataLines.length;
  const features = targetColumn < 0 ? columns : columns - 1;
  if (features < 1) throw new RangeError(`${owner}: no feature columns are left besides the target`);
  const X = new Float32Array(samples * features);
  const targetTexts: string[] = [];
  const y = new Float32Array(targetColumn < 0 ? 0 : samples);
  for (let i = 0; i < samples; i++) {
    const { number, fields } = dataLines[i];
    if (fields.length !== columns) {
      throw new RangeError(`${owner}: line ${number} has ${fields.length} fields, expected ${columns} as in line ${lines[0].number}`);
    }
    let k = i * features;
    for (let j = 0; j < columns; j++) {
      if (j === targetColumn && classes) {
        targetTexts.push(fields[j].trim());
        continue;
      }
      const value = parseNumber(owner, fields[j], () => `line ${number}, column ${j + 1}${hasHeader ? ` (${JSON.stringify(names[j])})` : ''}`);
      if (j === targetColumn) y[i] = value;
      else X[k++] = value;
    }
  }
  const featureNames = hasHeader ? names.filter((_, j) => j !== targetColumn) : Array.from({ length: features }, (_, j) => `x${j}`);
  const targetName = targetColumn < 0 ? '' : hasHeader ? names[targetColumn] : 'y';
  if (!classes || targetColumn < 0) return { X, y, samples, features, featureNames, targetName };
  const encoded = encodeClasses(targetTexts.map((t) => (isNumberText(t) ? Number(t) : t)));
  return { X, y: encoded.y, samples, features, featureNames, targetName, classes: encoded.classes };
}

/**
 * Builds a Dataset from rows of numbers (`number[][]` or an array of typed arrays): by default the
 * last value of each row is the target.
 *
 * @throws RangeError for a row whose length differs from the first row's (naming the row), a
 *   non-finite value or one beyond float32's range, or a target index out of range; TypeError for a
 *   value that is not a number (naming `rows[i][j]`) and an unknown option name
 */
export function datasetFromRows(rows: readonly ArrayLike<unknown>[], options?: RowsOptions): Dataset {
  const owner = 'datasetFromRows';
  if (!Array.isArray(rows)) throw new TypeError(`${owner}: rows must be an array of rows (arrays of numbers), got ${describe(rows)}`);
  // Not a default parameter: `= {}` lets null through, and a misspelt name would fall back to a default.
  const given = checkOptionNames(owner, options, ROWS_OPTIONS) as RowsOptions;
  if (rows.length === 0) throw new RangeError(`${owner}: rows must not be empty`);
  const firstRow: unknown = rows[0];
  if (!isArrayLike(firstRow)) throw new TypeError(`${owner}: rows[0] must be an array of numbers, got ${describe(firstRow)}`);
  const columns = (firstRow as ArrayLike<unknown>).length;
  const target = given.target ?? 'last';
  let targetColumn: number;
  if (target === 'last') targetColumn = columns - 1;
  else if (target === 'none') targetColumn = -1;
  else if (typeof target === 'number') targetColumn = checkColumnIndex(owner, target, columns);
  else throw new TypeError(`${owner}: target must be 'last', 'none' or a column index, got ${describe(target)}`);
  const classes = checkClassesFlag(owner, given.classes);
  const features = targetColumn < 0 ? columns : columns - 1;
  if (features < 1) throw new RangeError(`${owner}: rows[0] has ${columns} values; at least one feature is needed besides the target`);
  const samples = rows.length;
  const X = new Float32Array(samples * features);
  const y = new Float32Array(targetColumn < 0 ? 0 : samples);
  const labels: (string | number)[] = [];
  for (let i = 0; i < samples; i++) {
    const row: unknown = rows[i];
    if (!isArrayLike(row)) throw new TypeError(`${owner}: rows[${i}] must be an array of numbers, got ${describe(row)}`);
    const values = row as ArrayLike<unknown>;
    if (values.length !== columns) throw new RangeError(`${owner}: rows[${i}] has ${values.length} values, expected ${columns} as rows[0]`);
    let k = i * features;
    for (let j = 0; j < columns; j++) {
      const value = values[j];
      if (j === targetColumn && classes) {
        if (typeof value !== 'number' && typeof value !== 'string') throw new TypeError(`${owner}: rows[${i}][${j}] must be a label (number or string), got ${describe(value)}`);
        // NaN equals no label, itself included: it would become a class of its own and break the sort.
        if (typeof value === 'number' && Number.isNaN(value)) throw new RangeError(`${owner}: rows[${i}][${j}] is NaN, which is not a class label`);
        labels.push(value);
        continue;
      }
      if (typeof value !== 'number') throw new TypeError(`${owner}: rows[${i}][${j}] must be a number, got ${describe(value)}`);
      if (!Number.isFinite(value)) throw new RangeError(`${owner}: rows[${i}][${j}] must be a finite number, got ${describe(value)}`);
      if (!Number.isFinite(Math.fround(value))) {
        throw new RangeError(`${owner}: rows[${i}][${j}] must fit in a float32, got ${describe(value)} (outside float32's range, ${FLOAT32_RANGE})`);
      }
      if (j === targetColumn) y[i] = value;
      else X[k++] = value;
    }
  }
  let featureNames: readonly string[] = Array.from({ length: features }, (_, j) => `x${j}`);
  if (given.featureNames !== undefined) {
    if (!Array.isArray(given.featureNames) || given.featureNames.length !== features) {
      throw new RangeError(`${owner}: featureNames must be an array of ${features} names, got ${describe(given.featureNames)}`);
    }
    featureNames = [...given.featureNames];
  }
  const targetName = targetColumn < 0 ? '' : 'y';
  if (!classes || targetColumn < 0) return { X, y, samples, features, featureNames, targetName };
  const encoded = encodeClasses(labels);
  return { X, y: encoded.y, samples, features, featureNames, targetName, classes: encoded.classes };
}

/** Splits one line at the delimiter, honoring double quotes ("" inside quotes is a quote). */
function splitCsvLine(owner: string, line: string, delimiter: string, lineNumber: number): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw new RangeError(`${owner}: line ${lineNumber} has an unclosed quote (fields may not span lines)`);
  fields.push(field);
  return fields;
}

function isNumberText(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && !Number.isNaN(Number(trimmed));
}

function parseNumber(owner: string, text: string, where: () => string): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (Number.isNaN(value) && trimmed !== 'NaN') {
    throw new TypeError(`${owner}: ${where()}: ${trimmed === '' ? 'the field is empty (a missing value)' : `${JSON.stringify(trimmed)} is not a number`}`);
  }
  if (!Number.isFinite(value)) throw new RangeError(`${owner}: ${where()}: ${JSON.stringify(trimmed)} is not a finite number`);
  if (!Number.isFinite(Math.fround(value))) {
    throw new RangeError(`${owner}: ${where()}: ${JSON.stringify(trimmed)} is outside float32's range (${FLOAT32_RANGE})`);
  }
  return value;
}

function checkColumnIndex(owner: string, index: number, columns: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= columns) {
    throw new RangeError(`${owner}: target must be a column index from 0 to ${columns - 1}, got ${describe(index)}`);
  }
  return index;
}

function checkClassesFlag(owner: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`${owner}: classes must be true or false, got ${describe(value)}`);
  return value;
}

function isArrayLike(value: unknown): boolean {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Distinct labels, sorted (numbers numerically when all are numbers, else as strings by code point), and each row's index. */
function encodeClasses(labels: readonly (string | number)[]): { y: Float32Array; classes: (string | number)[] } {
  const allNumbers = labels.every((l) => typeof l === 'number');
  const keys: (string | number)[] = allNumbers ? [...labels] : labels.map(String);
  const distinct = [...new Set(keys)];
  if (allNumbers) distinct.sort((a, b) => Number(a) - Number(b));
  else distinct.sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const index = new Map<string | number, number>(distinct.map((label, i) => [label, i]));
  const y = Float32Array.from(keys, (key) => index.get(key)!);
  return { y, classes: distinct };
}

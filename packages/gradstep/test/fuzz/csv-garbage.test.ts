// Fuzz: parseCsv and datasetFromRows on garbage and on near-valid input. Properties:
// - either a well-formed Dataset (X and y Float32Arrays of finite values, X.length =
//   samples·features, y.length = samples, or 0 without a target; one name per feature; class
//   indices within `classes`, which are sorted and distinct) or a TypeError/RangeError whose message
//   starts with 'parseCsv:' / 'datasetFromRows:';
// - valid generated tables (numbers spelt in several ways, quoted or padded, headers with quoted
//   names, ';' '\t' '|' delimiters, '\r\n' or '\n', blank lines, target by index or name or none,
//   classes) round-trip: every value is Math.fround of the number written;
// - one bad field (empty, NaN, ±Infinity, beyond float32, not a number), a ragged line or an unclosed
//   quote in such a table throws, naming the right line (and column).
import fc from 'fast-check';
import { datasetFromRows, parseCsv, type Dataset } from 'gradstep';
import { describe, expect, it } from 'vitest';

// FUZZ_RUNS and FUZZ_SEED (an offset) allow longer or other local runs; CI uses the defaults.
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 0);
const settings = (seed: number, numRuns = NUM_RUNS) => ({ seed: SEED + seed, numRuns });

const F32_MAX = 3.4028234663852886e38;

/** A Dataset as documented, or a TypeError/RangeError of `owner`. */
function expectDatasetOrNamedError(owner: string, run: () => Dataset, options: { target?: unknown; classes?: unknown; strictNaN?: boolean } = {}): Dataset | null {
  let data: Dataset;
  try {
    data = run();
  } catch (error) {
    expect(error, `thrown: ${String(error)}`).toBeInstanceOf(Error);
    const { constructor, message } = error as Error;
    expect([TypeError, RangeError], `${constructor.name}: ${message}`).toContain(constructor);
    expect(message.startsWith(`${owner}: `), `${constructor.name}: ${message}`).toBe(true);
    return null;
  }
  expectWellFormed(data, options);
  return data;
}

function expectWellFormed(data: Dataset, options: { target?: unknown; classes?: unknown; strictNaN?: boolean }) {
  const { X, y, samples, features } = data;
  expect(X).toBeInstanceOf(Float32Array);
  expect(y).toBeInstanceOf(Float32Array);
  expect(Number.isInteger(samples) && samples >= 1, `samples ${samples}`).toBe(true);
  expect(Number.isInteger(features) && features >= 1, `features ${features}`).toBe(true);
  expect(X.length).toBe(samples * features);
  expect(y.length).toBe(options.target === 'none' ? 0 : samples);
  expect(X.every(Number.isFinite), 'X finite').toBe(true);
  expect(y.every(Number.isFinite), 'y finite').toBe(true);
  expect(data.featureNames).toHaveLength(features);
  expect(typeof data.targetName).toBe('string');
  if (options.classes === true && options.target !== 'none') {
    const classes = data.classes!;
    expect(Array.isArray(classes)).toBe(true);
    expect(y.every((v) => Number.isInteger(v) && v >= 0 && v < classes.length), 'class indices').toBe(true);
    expect(new Set(classes).size, 'distinct classes').toBe(classes.length);
    // Every class is used (they are the distinct values of the target column).
    expect(new Set(y).size).toBe(classes.length);
    const numeric = classes.every((c) => typeof c === 'number');
    // Sorted: numerically (NaN, where accepted, anywhere: its place is not specified), else as strings.
    // A NaN label broke the order of the others (defect 5, fixed: refused; its property below); elsewhere the
    // order is not checked when a NaN is among the classes.
    const hasNaN = classes.some((c) => Number.isNaN(c));
    if (!hasNaN || options.strictNaN) {
      const ordered = numeric ? classes.filter((c) => !Number.isNaN(c)) : classes;
      for (let i = 1; i < ordered.length; i++) {
        const [a, b] = [ordered[i - 1], ordered[i]];
        expect(numeric ? (a as number) < (b as number) : String(a) < String(b), `classes sorted: ${String(a)} before ${String(b)} in [${classes.map(String).join(', ')}]`).toBe(true);
      }
    }
  } else {
    expect(data.classes).toBeUndefined();
  }
}

// ---------------------------------------------------------------------------------------------
// Valid tables.

type Spelling = 'plain' | 'exponential' | 'precision17' | 'padded' | 'quoted' | 'quotedPadded' | 'plus' | 'fixed';
interface Cell {
  value: number;
  spelling: Spelling;
}

const numberValue = fc.oneof(
  fc.double({ min: -F32_MAX, max: F32_MAX, noNaN: true }),
  fc.float({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, -0, 1e-45, -1.4e-45, 2 ** -126, F32_MAX, -F32_MAX, 3.4028235e38, -3.4028235677973362e38, 5e-324, 1e-320, 0.1, 1e-30, 1e30, 2 ** 24 + 1, 16777217.5),
);
const cell: fc.Arbitrary<Cell> = fc.record({
  value: numberValue,
  spelling: fc.constantFrom<Spelling>('plain', 'exponential', 'precision17', 'padded', 'quoted', 'quotedPadded', 'plus', 'fixed'),
});

/** The number's text (which Number() reads back as exactly `value`, -0 included), and the field. */
function spell({ value, spelling }: Cell): { text: string; field: string } {
  const plain = Object.is(value, -0) ? '-0' : String(value);
  let text = plain;
  if (spelling === 'exponential') text = value.toExponential();
  else if (spelling === 'precision17') text = value.toPrecision(17);
  else if (spelling === 'plus' && value >= 0 && !Object.is(value, -0)) text = `+${plain}`;
  else if (spelling === 'fixed' && Math.abs(value) < 1e21 && Number(value.toFixed(20)) === value) text = value.toFixed(20);
  if (Object.is(value, -0)) text = text.startsWith('-') ? text : `-${text}`;
  const field = spelling === 'padded' ? `  ${text} ` : spelling === 'quoted' ? `"${text}"` : spelling === 'quotedPadded' ? ` " ${text}" ` : text;
  return { text, field };
}

const nameArb = fc
  .array(fc.constantFrom('a', 'b', 'x', 'y', 'Z', '_', ' ', ',', ';', '|', '\t', '"', 'é', '😀', '1', '.', '-', 'e'), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''))
  // A header (with header 'auto') has no number in it: '1', 'e1', '-.' … are not names here.
  .filter((name) => name.trim() !== '' && Number.isNaN(Number(name.trim())));

interface Table {
  delimiter: ',' | ';' | '\t' | '|';
  passDelimiter: boolean;
  names: string[] | null;
  quoteNames: boolean[];
  rows: Cell[][];
  eol: '\n' | '\r\n';
  blankAfter: number[]; // per line (header included), blank lines that follow it
  trailingEol: boolean;
  header: 'omit' | 'explicit' | 'auto';
  target: { kind: 'default' } | { kind: 'last' } | { kind: 'none' } | { kind: 'index'; index: number } | { kind: 'name'; index: number };
  classes: boolean;
}

const tableArb: fc.Arbitrary<Table> = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    samples: fc.integer({ min: 1, max: 7 }),
    withHeader: fc.boolean(),
  })
  .chain(({ columns, samples, withHeader }) =>
    fc.record({
      delimiter: fc.constantFrom<Table['delimiter']>(',', ';', '\t', '|'),
      passDelimiter: fc.boolean(),
      names: withHeader ? fc.array(nameArb, { minLength: columns, maxLength: columns }) : fc.constant(null),
      quoteNames: fc.array(fc.boolean(), { minLength: columns, maxLength: columns }),
      rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { minLength: samples, maxLength: samples }),
      eol: fc.constantFrom<Table['eol']>('\n', '\r\n'),
      blankAfter: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: samples + 1, maxLength: samples + 1 }),
      trailingEol: fc.boolean(),
      header: fc.constantFrom<Table['header']>('omit', 'explicit', 'auto'),
      target: fc.oneof(
        fc.constant({ kind: 'default' as const }),
        fc.constant({ kind: 'last' as const }),
        fc.constant({ kind: 'none' as const }),
        fc.integer({ min: 0, max: columns - 1 }).map((index) => ({ kind: 'index' as const, index })),
        fc.integer({ min: 0, max: columns - 1 }).map((index) => ({ kind: (withHeader ? 'name' : 'index') as 'name' | 'index', index })),
      ),
      classes: fc.boolean(),
    }),
  )
  // A target column needs a feature beside it; a name target needs a unique name.
  .filter((t) => t.target.kind === 'none' || t.rows[0].length >= 2)
  .filter((t) => t.target.kind !== 'name' || t.names!.filter((n) => n.trim() === t.names![(t.target as { index: number }).index].trim()).length === 1);

function quoteName(name: string, delimiter: string, force: boolean): string {
  return force || name.includes('"') || name.includes(delimiter) ? `"${name.replaceAll('"', '""')}"` : name;
}

/** The CSV text, the options, and the 1-based line number of each data row. */
function render(t: Table, fields: string[][] = t.rows.map((row) => row.map((c) => spell(c).field))) {
  const lines: string[] = [];
  const rowLines: number[] = [];
  const blank = ['', '   ', ' \t '];
  const push = (line: string, k: number) => {
    lines.push(line);
    for (let b = 0; b < t.blankAfter[k]; b++) lines.push(blank[(k + b) % blank.length]);
  };
  if (t.names) push(t.names.map((n, j) => quoteName(n, t.delimiter, t.quoteNames[j])).join(t.delimiter), 0);
  fields.forEach((row, i) => {
    rowLines.push(lines.length + 1);
    push(row.join(t.delimiter), i + 1);
  });
  const text = lines.join(t.eol) + (t.trailingEol ? t.eol : '');
  const options: Record<string, unknown> = {};
  if (t.passDelimiter || t.delimiter !== ',') options.delimiter = t.delimiter;
  if (t.header === 'explicit') options.header = t.names !== null;
  else if (t.header === 'auto') options.header = 'auto';
  if (t.target.kind === 'last' || t.target.kind === 'none') options.target = t.target.kind;
  else if (t.target.kind === 'index') options.target = t.target.index;
  else if (t.target.kind === 'name') options.target = ` ${t.names![t.target.index]} `.trim();
  if (t.classes || t.target.kind === 'index') options.classes = t.classes;
  return { text, options, rowLines };
}

function targetColumn(t: Table): number {
  const columns = t.rows[0].length;
  if (t.target.kind === 'none') return -1;
  if (t.target.kind === 'index' || t.target.kind === 'name') return t.target.index;
  return columns - 1;
}

// ---------------------------------------------------------------------------------------------
// Garbage and near-valid CSV, with options that are mostly valid (and mostly match the text).

const INVALID_DELIMITERS = ['"', '\n', '\r', '', ',,', 1, null, '😀', '\ud800', 'a', '1', '.', ' '];

const csvOptionsFor = (delimiter: string) =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    {
      arbitrary: fc.record(
        {
          delimiter: fc.oneof({ arbitrary: fc.constant(delimiter), weight: 8 }, { arbitrary: fc.constantFrom(',', ...INVALID_DELIMITERS), weight: 1 }),
          header: fc.oneof({ arbitrary: fc.constantFrom(true, false, 'auto'), weight: 8 }, { arbitrary: fc.constantFrom('yes', 1, null), weight: 1 }),
          target: fc.oneof(
            { arbitrary: fc.constantFrom('last', 'none'), weight: 5 },
            { arbitrary: fc.integer({ min: 0, max: 4 }), weight: 3 },
            { arbitrary: fc.constantFrom('y', 'a', 'x0', 'label', 'column 1', '', -1, 1.5, NaN, null, 2 ** 32), weight: 1 },
          ),
          classes: fc.oneof({ arbitrary: fc.boolean(), weight: 8 }, { arbitrary: fc.constantFrom('yes', null), weight: 1 }),
        },
        { requiredKeys: [] },
      ),
      weight: 8,
    },
    { arbitrary: fc.oneof(fc.record({ delimiter: fc.constant(delimiter), delimeter: fc.constant(';') }), fc.anything()), weight: 1 },
  );

const GARBAGE_TOKENS = [
  '', ' ', 'NaN', 'Infinity', '-Infinity', '1e39', '-1e39', '3.4028235e38', '-3.5e38', '0x1F', '0b1', '1_0', 'x', 'label', 'a', 'b', '"a,b"', '"a;b"',
  '"say ""hi"""', '"', '"1', '1"', '""', '"""', 'é', '😀', '\u00a0', '\u2028', '\ufeff1', '١', '１', '\0', '\r', ' \t ', '1\r', '+', '-', '.', 'e',
];
const csvToken = fc.oneof(
  { arbitrary: cell.map((c) => spell(c).field), weight: 8 },
  { arbitrary: fc.constantFrom(...GARBAGE_TOKENS), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }), weight: 1 },
);

/**
 * Lines joined by a delimiter: mostly clean rows of numbers with one field count, some dirty ones
 * (garbage tokens, other field counts), blank lines, a line of names; line ends of every kind.
 */
const csvLike = fc
  .integer({ min: 1, max: 5 })
  .chain((columns) =>
    fc.record({
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      names: fc.option(fc.array(nameArb, { minLength: columns, maxLength: columns }), { freq: 2 }),
      lines: fc.array(
        fc.oneof(
          { arbitrary: fc.array(cell.map((c) => spell(c).field), { minLength: columns, maxLength: columns }), weight: 12 },
          { arbitrary: fc.array(csvToken, { minLength: columns, maxLength: columns }), weight: 2 },
          { arbitrary: fc.array(csvToken, { maxLength: 6 }), weight: 1 },
          { arbitrary: fc.constantFrom([''], [' '], ['\t']), weight: 1 },
        ),
        { minLength: 1, maxLength: 8 },
      ),
      eol: fc.constantFrom('\n', '\r\n', '\r', '\n\n'),
    }),
  )
  .map(({ delimiter, names, lines, eol }) => ({
    delimiter,
    text: [...(names ? [names.map((n) => quoteName(n, delimiter, false))] : []), ...lines].map((fields) => fields.join(delimiter)).join(eol),
  }));

/** A valid table with a few random edits (characters inserted or deleted anywhere). */
const editedTable = fc
  .tuple(tableArb, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', '"', ',', ';', '\t', '\n', '\r', ' ', 'x', '9', 'e', '.', '-', 'é', '\u2028')), { maxLength: 3 }))
  .map(([t, edits]) => {
    const { text, options } = render(t);
    let edited = text;
    for (const [at, remove, insert] of edits) {
      const i = edited.length === 0 ? 0 : at % (edited.length + 1);
      edited = edited.slice(0, i) + insert + edited.slice(i + remove);
    }
    return { text: edited, options, delimiter: t.delimiter as string };
  });

/** [text, options]: unicode and binary strings, CSV-like lines, valid and edited tables. */
const csvInput = fc.oneof(
  { arbitrary: fc.tuple(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 80 })), csvOptionsFor(',')), weight: 2 },
  { arbitrary: csvLike.chain(({ text, delimiter }) => fc.tuple(fc.constant(text), csvOptionsFor(delimiter))), weight: 4 },
  { arbitrary: editedTable.chain(({ text, options, delimiter }) => fc.tuple(fc.constant(text), fc.oneof(fc.constant(options as unknown), csvOptionsFor(delimiter)))), weight: 3 },
);

// ---------------------------------------------------------------------------------------------

describe('parseCsv', () => {
  it('returns a well-formed Dataset or throws a parseCsv TypeError/RangeError, for any text and options', () => {
    const outcomes = { loaded: 0, classes: 0, refused: 0 };
    fc.assert(
      fc.property(csvInput, ([input, options]) => {
        const data = expectDatasetOrNamedError('parseCsv', () => parseCsv(input, options as never), (options ?? {}) as object);
        outcomes[data === null ? 'refused' : data.classes ? 'classes' : 'loaded']++;
      }),
      settings(0xc5f1, NUM_RUNS * 3),
    );
    if (process.env.FUZZ_STATS) console.log('parseCsv', outcomes);
    // Both outcomes occur (the garbage is not all refused at the first character).
    expect(outcomes.loaded + outcomes.classes).toBeGreaterThan(NUM_RUNS * 3 * 0.05);
    expect(outcomes.refused).toBeGreaterThan(NUM_RUNS * 3 * 0.05);
  });

  it('refuses non-string text with a TypeError', () => {
    fc.assert(
      fc.property(fc.anything().filter((x) => typeof x !== 'string'), (input) => {
        expect(() => parseCsv(input as never)).toThrow(TypeError);
        expect(() => parseCsv(input as never)).toThrow(/^parseCsv: text must be a string/);
      }),
      settings(0xc5f2, 100),
    );
  });

  it('reads valid tables back exactly: Math.fround of every number written, names, target and classes', () => {
    fc.assert(
      fc.property(tableArb, (t) => {
        const { text, options } = render(t);
        let data: Dataset;
        try {
          data = parseCsv(text, options);
        } catch (error) {
          throw new Error(`${String(error)}\n${JSON.stringify(text)}\n${JSON.stringify(options)}`);
        }
        const target = targetColumn(t);
        expectWellFormed(data, { target: target < 0 ? 'none' : 'last', classes: t.classes });
        const columns = t.rows[0].length;
        const features = target < 0 ? columns : columns - 1;
        expect(data.samples).toBe(t.rows.length);
        expect(data.features).toBe(features);
        if (t.names) {
          expect(data.featureNames).toEqual(t.names.map((n) => n.trim()).filter((_, j) => j !== target));
          expect(data.targetName).toBe(target < 0 ? '' : t.names[target].trim());
        } else {
          expect(data.featureNames).toEqual(Array.from({ length: features }, (_, j) => `x${j}`));
          expect(data.targetName).toBe(target < 0 ? '' : 'y');
        }
        const labels: number[] = [];
        t.rows.forEach((row, i) => {
          let k = i * features;
          row.forEach((c, j) => {
            const { text: written } = spell(c);
            expect(Number(written), `the generator writes ${c.value} as ${written}`).toBe(c.value);
            const expected = Math.fround(Number(written));
            if (j === target) {
              if (t.classes) labels.push(Number(written));
              else expect(Object.is(data.y[i], expected), `y[${i}] = ${data.y[i]}, wrote ${written}`).toBe(true);
            } else {
              expect(Object.is(data.X[k], expected), `X[${k}] (row ${i}, column ${j}) = ${data.X[k]}, wrote ${written}`).toBe(true);
              k++;
            }
          });
        });
        if (t.classes && target >= 0) {
          const classes = [...new Set(labels)].sort((a, b) => a - b);
          expect(data.classes).toEqual(classes);
          labels.forEach((label, i) => expect(data.y[i]).toBe(classes.findIndex((c) => c === label)));
        }
      }),
      settings(0xc5f3),
    );
  });

  const badValue = fc.constantFrom(
    { field: '', error: TypeError },
    { field: '   ', error: TypeError },
    { field: '""', error: TypeError },
    { field: 'NaN', error: RangeError },
    { field: ' NaN ', error: RangeError },
    { field: 'Infinity', error: RangeError },
    { field: '-Infinity', error: RangeError },
    { field: '1e39', error: RangeError },
    { field: '-1e39', error: RangeError },
    { field: '3.5e38', error: RangeError },
    { field: '1e309', error: RangeError },
    { field: '"1e39"', error: RangeError },
    { field: 'abc', error: TypeError },
    { field: '1.2.3', error: TypeError },
    { field: '0x', error: TypeError },
    { field: '--1', error: TypeError },
    { field: '1e', error: TypeError },
    { field: '1_000', error: TypeError },
    { field: '١', error: TypeError },
    { field: '１', error: TypeError },
    { field: '∞', error: TypeError },
    { field: 'one', error: TypeError },
  );

  it('names the line and column of one bad field in a valid table', () => {
    const corrupted = fc
      .tuple(tableArb, badValue, fc.nat(), fc.nat())
      .filter(([t]) => t.rows[0].length >= 2 && t.header === 'explicit')
      .map(([t, bad, r, c]) => ({ t: { ...t, classes: false }, bad, row: r % t.rows.length, column: c % t.rows[0].length }));
    fc.assert(
      fc.property(corrupted, ({ t, bad, row, column }) => {
        const fields = t.rows.map((cells) => cells.map((c) => spell(c).field));
        fields[row][column] = bad.field;
        const { text, options, rowLines } = render(t, fields);
        let thrown: unknown = null;
        try {
          parseCsv(text, options);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `${JSON.stringify(bad.field)} at row ${row}, column ${column} was accepted:\n${JSON.stringify(text)}`).toBeInstanceOf(bad.error);
        const message = (thrown as Error).message;
        expect(message.startsWith(`parseCsv: line ${rowLines[row]}, column ${column + 1}`), message).toBe(true);
      }),
      settings(0xc5f4),
    );
  });

  it('names the line of a ragged row or an unclosed quote in a valid table', () => {
    const corrupted = fc
      .tuple(tableArb, fc.constantFrom('drop', 'add', 'unclosed', 'quoteInside'), fc.nat())
      .map(([t, kind, r]) => ({ t, kind, row: r % t.rows.length }))
      // Dropping the only field of a one-column row leaves a blank line, which is skipped; without
      // a header, a ragged first row sets the field count (the second row is then the ragged one).
      .filter(({ t, kind }) => kind !== 'drop' || t.rows[0].length >= 2)
      .filter(({ t, kind, row }) => !(kind === 'drop' || kind === 'add') || t.names !== null || (row > 0 && t.target.kind !== 'index' && t.target.kind !== 'name'));
    fc.assert(
      fc.property(corrupted, ({ t, kind, row }) => {
        const fields = t.rows.map((cells) => cells.map((c) => spell(c).field));
        if (kind === 'drop') fields[row].pop();
        else if (kind === 'add') fields[row].push('1');
        else if (kind === 'unclosed') fields[row][0] = `"${spell(t.rows[row][0]).text}`;
        else fields[row][fields[row].length - 1] = `"1${t.delimiter}2`;
        const { text, options, rowLines } = render(t, fields);
        let thrown: unknown = null;
        try {
          parseCsv(text, options);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `${kind} at row ${row} was accepted:\n${JSON.stringify(text)}`).toBeInstanceOf(RangeError);
        const message = (thrown as Error).message;
        const pattern =
          kind === 'drop' || kind === 'add'
            ? new RegExp(`^parseCsv: line (\\d+) has \\d+ fields, expected \\d+ as in line \\d+$`)
            : new RegExp(`^parseCsv: line ${rowLines[row]} has an unclosed quote`);
        expect(message).toMatch(pattern);
        if (kind === 'drop' || kind === 'add') expect(Number(pattern.exec(message)![1])).toBe(rowLines[row]);
      }),
      settings(0xc5f5),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('datasetFromRows', () => {
  const value = fc.oneof(
    { arbitrary: numberValue, weight: 40 },
    { arbitrary: fc.double(), weight: 3 },
    { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e39, -1e39, -3.5e38, 1e308), weight: 2 },
    { arbitrary: fc.constantFrom('a', 'b', '1', '', 'NaN'), weight: 2 }, // labels (with classes), else refused
    { arbitrary: fc.anything({ withBigInt: true, withBoxedValues: true, withTypedArray: true, withSparseArray: true }), weight: 1 },
  );
  const row = fc.oneof(
    { arbitrary: fc.array(value, { maxLength: 5 }), weight: 6 },
    { arbitrary: fc.array(fc.double(), { maxLength: 5 }).map((xs) => Float64Array.from(xs)), weight: 1 },
    { arbitrary: fc.array(fc.float(), { maxLength: 5 }).map((xs) => Float32Array.from(xs)), weight: 1 },
    { arbitrary: fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 5 }).map((xs) => Int8Array.from(xs)), weight: 1 },
    { arbitrary: fc.constantFrom(new BigInt64Array(3), new DataView(new ArrayBuffer(8)), 'abc', null, { length: 3, 0: 1, 1: 2, 2: 3 }), weight: 1 },
  );
  /** Rows of mostly one length, mostly of numbers in float32's range, sometimes typed arrays. */
  const rows = fc.integer({ min: 0, max: 5 }).chain((columns) =>
    fc.array(
      fc.oneof(
        { arbitrary: fc.array(numberValue, { minLength: columns, maxLength: columns }), weight: 30 },
        { arbitrary: fc.array(value, { minLength: columns, maxLength: columns }), weight: 2 },
        { arbitrary: fc.array(numberValue, { minLength: columns, maxLength: columns }).map((xs) => Float64Array.from(xs)), weight: 3 },
        { arbitrary: row, weight: 1 },
      ),
      { minLength: 1, maxLength: 6 },
    ),
  );
  const rowsOptions = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    {
      arbitrary: fc.record(
        {
          target: fc.oneof(fc.constantFrom('last', 'last', 'none', 'first', -1, 1.5, NaN, null), fc.integer({ min: 0, max: 5 })),
          classes: fc.constantFrom(true, true, false, 1, null),
        },
        { requiredKeys: [] },
      ),
      weight: 6,
    },
    {
      arbitrary: fc.record({ featureNames: fc.oneof(fc.array(fc.string(), { maxLength: 5 }), fc.constantFrom(null, 'x', [1, 2], ['a', 'b'])), target: fc.constantFrom('last', 'none') }),
      weight: 1,
    },
    { arbitrary: fc.anything(), weight: 1 },
  );

  it('returns a well-formed Dataset or throws a datasetFromRows TypeError/RangeError, for any rows and options', () => {
    const outcomes = { loaded: 0, classes: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof({ arbitrary: rows, weight: 8 }, { arbitrary: fc.array(row, { maxLength: 6 }), weight: 2 }, { arbitrary: fc.anything(), weight: 1 }), rowsOptions, (rows, options) => {
        const data = expectDatasetOrNamedError('datasetFromRows', () => datasetFromRows(rows as never, options as never), (options ?? {}) as object);
        outcomes[data === null ? 'refused' : data.classes ? 'classes' : 'loaded']++;
      }),
      settings(0xd5f1, NUM_RUNS * 3),
    );
    if (process.env.FUZZ_STATS) console.log('datasetFromRows', outcomes);
    expect(outcomes.loaded + outcomes.classes).toBeGreaterThan(NUM_RUNS * 3 * 0.05);
    expect(outcomes.refused).toBeGreaterThan(NUM_RUNS * 3 * 0.05);
  });

  it('keeps Math.fround of every number of a valid matrix, and refuses one value beyond float32 or non-finite', () => {
    const inRange = fc.oneof(fc.double({ min: -F32_MAX, max: F32_MAX, noNaN: true }), fc.float({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 3.4028235e38, 5e-324));
    const matrix = fc
      .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 6 }))
      .chain(([columns, samples]) => fc.array(fc.array(inRange, { minLength: columns, maxLength: columns }), { minLength: samples, maxLength: samples }));
    const bad = fc.option(fc.tuple(fc.constantFrom(NaN, Infinity, -Infinity, 1e39, -3.5e38, 1e308), fc.nat(), fc.nat()), { nil: null });
    fc.assert(
      fc.property(matrix, fc.boolean(), fc.constantFrom<'last' | 'none' | 0>('last', 'none', 0), bad, (rows, typed, target, corruption) => {
        const input = rows.map((r) => (typed ? Float64Array.from(r) : [...r]));
        if (corruption) {
          const [x, i, j] = corruption;
          const r = i % rows.length;
          input[r][j % rows[0].length] = x;
          expect(() => datasetFromRows(input, { target }), `rows[${r}][${j % rows[0].length}] = ${x}`).toThrow(RangeError);
          expect(() => datasetFromRows(input, { target })).toThrow(new RegExp(`^datasetFromRows: rows\\[${r}\\]\\[${j % rows[0].length}\\] must`));
          return;
        }
        const data = datasetFromRows(input, { target });
        expectWellFormed(data, { target });
        const columns = rows[0].length;
        const t = target === 'last' ? columns - 1 : target === 'none' ? -1 : 0;
        let k = 0;
        rows.forEach((r, i) =>
          r.forEach((x, j) => {
            if (j === t) expect(Object.is(data.y[i], Math.fround(x)), `y[${i}]`).toBe(true);
            else expect(Object.is(data.X[k++], Math.fround(x)), `X of rows[${i}][${j}]`).toBe(true);
          }),
        );
      }),
      settings(0xd5f2),
    );
  });

  // Defect 5. datasetFromRows accepts NaN as a numeric class label (parseCsv reads the text 'NaN' as
  // a string label instead), and then the classes are not sorted: the comparator (a, b) => a - b
  // returns NaN for every comparison with NaN, so the sort stops being a sort, and the other labels
  // come out of order, while `classes` is documented as sorted. Minimal reproduction:
  //   datasetFromRows([[0, 2], [0, NaN], [0, 1], [0, 0]], { classes: true }).classes // [2, NaN, 0, 1]
  // Either refuse a NaN label (RangeError, as for features) or sort it to one end.
  it('5: sorts numeric classes when one label is NaN, or refuses the NaN label', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 2, maxLength: 8 }), fc.nat(), (labels, at) => {
        const withNaN = [...labels];
        withNaN.splice(at % (labels.length + 1), 0, NaN);
        expectDatasetOrNamedError('datasetFromRows', () => datasetFromRows(withNaN.map((label) => [0, label]), { classes: true }), { classes: true, strictNaN: true });
      }),
      settings(0xd5f5, 50),
    );
  });
});

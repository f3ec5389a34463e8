// biasVariance: mlxtend's worked examples (reference §9) through models that replay fixed
// predictions, the exact identity loss = bias² + variance for mse, the bootstrap draws, reproducibility.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { biasVariance } from '../../src/evaluation/bias-variance.js';
import { Random } from '../../src/model-selection/random.js';

/** fit/predict that ignore the data and replay `rounds[r]` in round r. */
function replay<T>(rounds: T[][]) {
  return {
    fit: (_X: unknown[], _y: unknown, round: number) => round,
    predict: (round: number) => rounds[round],
  };
}

describe('biasVariance, mse', () => {
  it("mlxtend's test_mse_bias_is_squared_bias: loss 2.666667, bias 0.555556, variance 2.111111", () => {
    const result = biasVariance({
      loss: 'mse',
      ...replay([[1, 3], [2, 5], [4, 7]]),
      XTrain: [[0], [1]],
      yTrain: [0, 0],
      XTest: [[0], [1]],
      yTest: [2, 4],
      rounds: 3,
      seed: 0,
    });
    expect(result.expectedLoss).toBeCloseTo(8 / 3, 14);
    expect(result.bias).toBeCloseTo(5 / 9, 14);
    expect(result.variance).toBeCloseTo(19 / 9, 14);
    expect(Array.from(result.mainPredictions as Float64Array)).toEqual([7 / 3, 5]);
  });

  it('loss = bias² + variance for any predictions (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((nTest) =>
          fc.tuple(
            fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: nTest, maxLength: nTest }), { minLength: 1, maxLength: 8 }),
            fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: nTest, maxLength: nTest }),
          ),
        ),
        ([rounds, yTest]) => {
          const r = biasVariance({
            loss: 'mse',
            ...replay(rounds),
            XTrain: [0],
            yTrain: [1],
            XTest: yTest.map((_, j) => j),
            yTest,
            rounds: rounds.length,
            seed: 1,
          });
          expect(Math.abs(r.expectedLoss - (r.bias + r.variance))).toBeLessThanOrEqual(1e-9 * (1 + r.expectedLoss));
        },
      ),
    );
  });

  it('fits each round on a bootstrap sample drawn with Random(seed).integer(n), and is reproducible', () => {
    const XTrain = [[10], [11], [12], [13], [14]];
    const yTrain = [0, 1, 2, 3, 4];
    const samples: number[][] = [];
    const run = () =>
      biasVariance({
        loss: 'mse',
        fit: (X: number[][], y: Float64Array) => {
          expect(y).toBeInstanceOf(Float64Array);
          samples.push(Array.from(y));
          expect(X.map((row) => row[0] - 10)).toEqual(Array.from(y));
          return y.reduce((s, v) => s + v, 0) / y.length;
        },
        predict: (mean: number, X: number[][]) => X.map(() => mean),
        XTrain,
        yTrain,
        XTest: [[0], [1]],
        yTest: [2, 2],
        rounds: 4,
        seed: 7,
      });
    const first = run();
    const rng = new Random(7);
    const expected = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => rng.integer(5)));
    expect(samples).toEqual(expected);
    const second = run();
    expect(second.expectedLoss).toBe(first.expectedLoss);
    expect(XTrain).toEqual([[10], [11], [12], [13], [14]]);
    expect(yTrain).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('biasVariance, 0-1', () => {
  it('the worked example: loss 1/3, bias 0.25, variance 0.25', () => {
    const r = biasVariance({
      ...replay([[0, 1, 0, 0], [0, 1, 1, 1], [1, 1, 0, 0]]),
      XTrain: [0],
      yTrain: [0],
      XTest: [0, 1, 2, 3],
      yTest: [0, 1, 1, 0],
      rounds: 3,
      seed: 0,
    });
    expect(r.expectedLoss).toBeCloseTo(1 / 3, 15);
    expect(r.bias).toBe(0.25);
    expect(r.variance).toBeCloseTo(0.25, 15);
    expect(r.mainPredictions).toEqual([0, 1, 0, 0]);
  });

  it('breaks mode ties toward the smallest label, for numbers and strings', () => {
    const numbers = biasVariance({ ...replay([[3], [1], [2], [3], [1]]), XTrain: [0], yTrain: [1], XTest: [0], yTest: [1], rounds: 5, seed: 0 });
    expect(numbers.mainPredictions).toEqual([1]); // 1 and 3 both twice: 1
    const strings = biasVariance({ ...replay([['b'], ['a'], ['b'], ['a']]), XTrain: [0], yTrain: ['a'], XTest: [0], yTest: ['b'], rounds: 4, seed: 0 });
    expect(strings.mainPredictions).toEqual(['a']);
    expect(strings.bias).toBe(1);
    expect(strings.variance).toBe(0.5);
    // The smallest label drawn first, and ties met later, keep it; code points order astral strings.
    // A smaller label seen fewer times never wins.
    const fewer = biasVariance({ ...replay([[3], [3], [1]]), XTrain: [0], yTrain: [1], XTest: [0], yTest: [1], rounds: 3, seed: 0 });
    expect(fewer.mainPredictions).toEqual([3]);
    const firstNumber = biasVariance({ ...replay([[1], [3], [2], [3], [1]]), XTrain: [0], yTrain: [1], XTest: [0], yTest: [1], rounds: 5, seed: 0 });
    expect(firstNumber.mainPredictions).toEqual([1]);
    const firstString = biasVariance({ ...replay([['x'], ['y'], ['z'], ['y'], ['x']]), XTrain: [0], yTrain: ['a'], XTest: [0], yTest: ['a'], rounds: 5, seed: 0 });
    expect(firstString.mainPredictions).toEqual(['x']);
    const astral = biasVariance({ ...replay([['\u{1F600}'], ['\uFF5E']]), XTrain: [0], yTrain: ['a'], XTest: [0], yTest: ['a'], rounds: 2, seed: 0 });
    expect(astral.mainPredictions).toEqual(['\uFF5E']); // U+FF5E < U+1F600, though its UTF-16 unit 0xFF5E > 0xD83D
  });

  it('hands fit its bootstrap labels as an array and predict a copy of XTest', () => {
    const XTest = [[0], [1]];
    const seen: unknown[] = [];
    biasVariance({
      fit: (X: number[][], y: unknown) => {
        seen.push(y);
        return 0;
      },
      predict: (_model: number, X: number[][]) => {
        X.reverse();
        return X.map(() => 'a');
      },
      XTrain: [[0], [1], [2]],
      yTrain: ['a', 'b', 'c'],
      XTest,
      yTest: ['a', 'a'],
      rounds: 3,
      seed: 3,
    });
    const rng = new Random(3);
    expect(seen).toEqual(Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => ['a', 'b', 'c'][rng.integer(3)])));
    expect(XTest).toEqual([[0], [1]]);
  });
});

describe('biasVariance argument errors', () => {
  const base = { ...replay([[0]]), XTrain: [0], yTrain: [0], XTest: [0], yTest: [0], rounds: 1, seed: 0 };
  it('names the argument and the value', () => {
    expect(() => biasVariance({ ...base, loss: 'hinge' as never })).toThrow(/loss must be 'mse' or '0-1', got "hinge"/);
    expect(() => biasVariance({ ...base, rounds: 0 })).toThrow(/rounds must be an integer >= 1, got 0/);
    expect(() => biasVariance({ ...base, rounds: 1.5 })).toThrow(RangeError);
    expect(() => biasVariance({ ...base, yTrain: [0, 1] })).toThrow(/yTrain has length 2 but XTrain has 1 rows/);
    expect(() => biasVariance({ ...base, XTest: [] })).toThrow(/XTest must not be empty/);
    expect(() => biasVariance({ ...base, yTrain: [0, 'a'] as never, XTrain: [0, 1] })).toThrow(/mixes numbers and strings/);
    expect(() => biasVariance({ ...base, yTest: ['a'] })).toThrow(/yTrain holds numbers but yTest holds strings/);
    expect(() => biasVariance({ ...base, loss: 'mse', yTrain: ['a'] } as never)).toThrow(/yTrain\[0\] must be a number, got "a"/);
    expect(() => biasVariance({ ...base, predict: () => [0, 1] })).toThrow(/predict returned 2 predictions for 1 rows/);
    expect(() => biasVariance({ ...base, seed: -1 })).toThrow(RangeError);
  });

  it('gives each refusal its exact message', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ XTrain: 'x' }, /^biasVariance: XTrain must be an array of rows, got "x"$/],
      [{ XTest: new Float64Array(1) }, /^biasVariance: XTest must be an array of rows, got a Float64Array/],
      [{ fit: 1 }, /^biasVariance: fit must be a function, got 1$/],
      [{ predict: 'p' }, /^biasVariance: predict must be a function, got "p"$/],
      [{ yTest: [0, 1] }, /^biasVariance: yTest has length 2 but XTest has 1 rows; they must match$/],
      [{ loss: 'mse', yTrain: [0, 1] }, /^biasVariance: yTrain has length 2 but XTrain has 1 rows; they must match$/],
      [{ loss: 'mse', yTest: ['a'] }, /^biasVariance: yTest\[0\] must be a number, got "a"$/],
      [{ loss: 'mse', yTest: [0, 1] }, /^biasVariance: yTest has length 2 but XTest has 1 rows; they must match$/],
      [{ yTrain: [Number.NaN] }, /^biasVariance: yTrain must be finite, got NaN at index 0$/],
      [{ yTest: [Number.NaN] }, /^biasVariance: yTest must be finite, got NaN at index 0$/],
      [{ seed: 'a' }, /^biasVariance: seed must be an integer from 0 to 4294967295 \(2\^32 - 1\), got "a"$/],
      [{ loss: 'mse', predict: () => ['1'] }, /^biasVariance: predict must return numbers for loss 'mse', got "1" at index 0$/],
      [{ loss: 'mse', predict: () => [Number.NaN] }, /^biasVariance: predict returned NaN at index 0$/],
      [{ predict: () => ['0'] }, /^biasVariance: predict must return number labels like yTrain, got "0" at index 0$/],
      [{ predict: () => [Number.NaN] }, /^biasVariance: predict returned NaN at index 0$/],
      [{ yTrain: ['a'], yTest: ['a'], predict: () => [0] }, /^biasVariance: predict must return string labels like yTrain, got 0 at index 0$/],
    ];
    for (const [options, message] of cases) expect(() => biasVariance({ ...base, ...options } as never)).toThrow(message);
    expect(() => biasVariance(null as never)).toThrow(/^biasVariance: options must be an object, got null$/);
    expect(() => biasVariance(5 as never)).toThrow(/^biasVariance: options must be an object, got 5$/);
  });
});

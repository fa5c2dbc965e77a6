import PipelineCore

/// The book's common-sense baseline: "the temperature in `delay` rows equals the temperature
/// now" (now = the last timestep of the input window), scored by mean absolute error.
///
/// ```swift
/// var val = try BookGenerator(data: v, features: 14, lookback: 1440, delay: 144,
///                             minIndex: 200_001, maxIndex: 300_000, targetColumn: 1)
/// let mae = NaiveBaseline.bookMAE(&val, steps: val.stepsPerPass)    // book: ≈ 0.29
/// let celsius = mae * normalizer.std[1]                              // book: ≈ 2.57 °C
/// ```
///
/// `bookMAE` replays `evaluate_naive_method`: the mean over `steps` batches of each batch's
/// MAE of `samples[:, -1, target]` against `targets`. `allWindowsMAE` is the exact version:
/// every row `r` in `minIndex + lookback ..< maxIndex` once, comparing
/// `data[r - lookback + (lookback / step - 1) * step]` (= `r - step`) with `data[r + delay]`.
/// Both are in the matrix's (normalised) units; multiply by the column's std for °C.
/// Cost: O(steps × batch) and O(rows); computed in `Double`. Never fails.
public enum NaiveBaseline {
    public static func bookMAE(_ generator: inout BookGenerator, steps: Int) -> Double {
        guard steps > 0 else { return 0 }
        var total = 0.0
        let last = generator.lookback - (generator.timesteps - 1) * generator.step   // rows before r
        for _ in 0..<steps {
            let rows = generator.nextRows()
            var sum = 0.0
            for r in rows {
                let now = generator.data[(r - last) * generator.features + generator.targetColumn]
                let later = generator.data[(r + generator.delay) * generator.features + generator.targetColumn]
                sum += abs(Double(now) - Double(later))
            }
            total += sum / Double(rows.count)
        }
        return total / Double(steps)
    }

    public static func allWindowsMAE(_ generator: BookGenerator) -> Double {
        let g = generator
        let last = g.lookback - (g.timesteps - 1) * g.step
        var sum = 0.0
        let rows = (g.minIndex + g.lookback)..<g.maxIndex
        for r in rows {
            sum += abs(Double(g.data[(r - last) * g.features + g.targetColumn]) - Double(g.data[(r + g.delay) * g.features + g.targetColumn]))
        }
        return rows.isEmpty ? 0 : sum / Double(rows.count)
    }
}

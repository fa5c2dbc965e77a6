import Foundation
import Testing
import PipelineCore
@testable import PipelineTraining

/// Logs from (key, value) pairs, in order.
func logs(_ pairs: [(String, Double)]) -> Logs {
    var l = Logs()
    for (k, v) in pairs { l[k] = v }
    return l
}

@Suite struct CallbacksTests {
    @Test func progressLineFormat() {
        let line = ProgressLogger.line(epoch: 2, epochs: 10, seconds: 12.34,
                                       logs: logs([("loss", 0.40123), ("acc", 0.82312), ("val_loss", 0.5), ("val_acc", 0.8)]))
        #expect(line == "Epoch 3/10 - 12.3s - loss: 0.4012 - acc: 0.8231 - val_loss: 0.5000 - val_acc: 0.8000")
    }
}

import Testing
import PipelineCore
@testable import PipelineTraining

@Suite struct SequentialSummaryTests {
    @Test func summaryPrintsKerasTable() throws {
        let model = Sequential([Embedding(inputDim: 10_000, outputDim: 32), Conv1D(filters: 32, kernelSize: 7, activation: .relu),
                                MaxPooling1D(poolSize: 5), GlobalMaxPooling1D(), Dropout(rate: 0.5), Dense(units: 1)],
                               name: "sequential_2")
        try model.build(inputShape: [500], seed: 1)
        // Keras 3.x output for the same model (layer names as in a fresh session).
        let keras = """
        Model: "sequential_2"
        ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
        ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
        ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
        │ embedding (Embedding)           │ (None, 500, 32)        │       320,000 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ conv1d (Conv1D)                 │ (None, 494, 32)        │         7,200 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ max_pooling1d (MaxPooling1D)    │ (None, 98, 32)         │             0 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ global_max_pooling1d            │ (None, 32)             │             0 │
        │ (GlobalMaxPooling1D)            │                        │               │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ dropout (Dropout)               │ (None, 32)             │             0 │
        ├─────────────────────────────────┼────────────────────────┼───────────────┤
        │ dense (Dense)                   │ (None, 1)              │            33 │
        └─────────────────────────────────┴────────────────────────┴───────────────┘
         Total params: 327,233 (1.25 MB)
         Trainable params: 327,233 (1.25 MB)
         Non-trainable params: 0 (0.00 B)

        """
        #expect(model.summary() == keras)
    }
}

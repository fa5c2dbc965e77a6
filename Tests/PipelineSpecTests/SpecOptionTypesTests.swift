import Testing
import PipelineCore
import PipelineIO
import PipelineText
import PipelineTimeseries
import PipelineTraining
@testable import PipelineSpec

/// The spec holds the engine's own option types (issue 14 item 2): each YAML spelling parses to
/// the engine's case, the error lists keep the spec's order, and the engine cases the spec does
/// not offer stay refused.
@Suite struct SpecOptionTypesTests {
    static let minimalSeries = """
    name: w
    source: {url: weather.csv}
    timeseries: {lookback: 12, step: 2, delay: 3}
    model:
      - flatten
      - dense: {units: 1}
    """

    @Test func spellingsParseToTheEngineCases() throws {
        let text = try PipelineSpec.parse(minimalText
            .replacingOccurrences(of: "maxlen: 20}", with: "maxlen: 20, standardize: strip_punctuation, html: keep, padding: post, truncating: post}")
            .replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, checkpoint: best, early_stopping: {mode: max}}"),
            file: "t.yaml")
        guard case .text(let t) = text.task else { Issue.record("not a text task"); return }
        #expect(t.standardize == Standardize.stripPunctuation && t.html == HTMLHandling.keep)
        #expect(t.padding == SequencePadding.post && t.truncating == Truncating.post)
        #expect(text.train?.checkpoint == .best && text.train?.earlyStopping?.mode == MonitorMode.max)
        #expect(text.task.name == "text" && text.timeseries == nil)

        let series = try PipelineSpec.parse(Self.minimalSeries.replacingOccurrences(of: "delay: 3}", with: "delay: 3, missing: fill_previous, time_axis: drop}"),
                                            file: "w.yaml")
        guard case .timeseries(let s) = series.task else { Issue.record("not a timeseries task"); return }
        #expect(s.missing == MissingValuePolicy.fillPrevious && s.timeAxis == TimeAxisPolicy.drop)
        #expect(series.task.name == "timeseries" && series.text == nil)

        let conv = try PipelineSpec.parse(Self.minimalSeries.replacingOccurrences(
            of: "  - flatten", with: "  - conv1d: {filters: 4, kernel_size: 3, padding: same, activation: relu}\n  - bidirectional: {layer: {gru: {units: 2}}, merge_mode: ave}"),
            file: "w.yaml")
        #expect(conv.model?.layers[0].kind == .conv1d(filters: 4, kernelSize: 3, strides: 1, padding: Conv1D.Padding.same, activation: Activation.relu))
        if case .bidirectional(_, let mode)? = conv.model?.layers[1].kind { #expect(mode == Bidirectional.MergeMode.ave) } else { Issue.record("no bidirectional") }
    }

    @Test func deliveryIsTheDownloadersOwnType() throws {
        let spec = try PipelineSpec.parse(minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: data.tar.gz, delivery: download_first}"),
                                          file: "t.yaml")
        #expect(spec.source.delivery == SourceOptions.Delivery.downloadFirst)
        #expect(try PipelineSpec.parse(minimalText, file: "t.yaml").source.delivery == .stream)
        let e = specError(minimalText.replacingOccurrences(of: "{url: data.tar.gz}", with: "{url: data.tar.gz, delivery: downloadFirst}"))
        #expect(e?.description.contains("must be one of stream, download_first") == true, "\(String(describing: e))")
    }

    /// `keep` is a MissingValuePolicy case the CSV reader uses internally; the spec never offered
    /// it, and the error lists stay in the spec's order, not the engine enums' declaration order.
    @Test func engineOnlyCasesAreRefusedAndListsKeepTheirOrder() {
        let missing = specError(Self.minimalSeries.replacingOccurrences(of: "delay: 3}", with: "delay: 3, missing: keep}"))
        #expect(missing?.description.contains("must be one of error, drop_row, fill_previous, interpolate") == true, "\(String(describing: missing))")
        let mode = specError(minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, early_stopping: {mode: mx}}"))
        #expect(mode?.description.contains("must be one of min, max, auto") == true, "\(String(describing: mode))")
        let html = specError(minimalText.replacingOccurrences(of: "maxlen: 20}", with: "maxlen: 20, html: strip}"))
        #expect(html?.description.contains("must be one of space, keep") == true, "\(String(describing: html))")
        let checkpoint = specError(minimalText.replacingOccurrences(of: "train: {epochs: 2}", with: "train: {epochs: 2, checkpoint: bst}"))
        #expect(checkpoint?.description.contains("must be one of every_epoch, best, none") == true, "\(String(describing: checkpoint))")
        #expect(checkpoint?.description.contains("did you mean 'best'?") == true)
    }
}

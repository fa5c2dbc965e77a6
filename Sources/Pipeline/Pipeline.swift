// The umbrella module: `import Pipeline` brings every library module of the toolkit.
@_exported import PipelineCore
@_exported import PipelineIO
@_exported import PipelineText
@_exported import PipelineTimeseries
@_exported import PipelineTraining
@_exported import PipelineSpec
@_exported import PipelineRun
@_exported import PipelineKeras

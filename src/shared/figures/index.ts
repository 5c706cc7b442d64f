export { buildGmeChartOption } from './gme';
export { buildTimeChartOption } from './time';
export { buildImportanceOption, locateCaption } from './importance';
export { buildLossSurfaceOption } from './loss-surface';
export { buildCslScatterOption } from './csl';
export { buildPartitionHeatmapOption } from './partition';
export { buildLiveCurveOption } from './live-curve';
export { stageLabel } from './common';
export {
  buildStudyEfficiencyChart,
  buildStudyMetricChart,
  buildStudyParallelChart,
  type StudyMetricOptions,
} from './study';
export { rowLabels, sweptRowLabel, type StudyMetric } from './study-data';
export { buildCompareCurveOption } from './compare';
export { buildLossChartOption, type LossPoint } from './loss-curve';
export { smooth } from './smooth';
export {
  buildBackdoorCurveOption,
  buildDistanceHeatmapOption,
  buildEmbeddingsOption,
  buildStabilityOption,
  buildResetChartOption,
  DISTANCE_TITLES,
  type DistanceMetric,
} from './analyses';

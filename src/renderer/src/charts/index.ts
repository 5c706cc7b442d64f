export { buildGmeChartOption } from './gme';
export { buildTimeChartOption } from './time';
export { buildImportanceOption, locateCaption } from './importance';
export { buildLossSurfaceOption } from './loss-surface';
export { buildCslScatterOption } from './csl';
export { buildPartitionHeatmapOption } from './partition';
export { buildLiveCurveOption } from './live-curve';
export { stageLabel } from './common';

/** Durations and table numbers for the run views: one definition in shared/format.ts (the CLI uses them too). */
export { EMPTY, fixed, formatDelta, formatDuration, formatSeconds, formatStat } from '../../../shared/format';

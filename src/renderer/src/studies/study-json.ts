/**
 * A whole study pasted or loaded as JSON, checked with the study schema main and the CLI validate
 * with (shared/study.ts), so the form is filled only from a definition main would read the same way;
 * otherwise the schema's own words, naming each field.
 */
import { describeIssues, issuesText } from '../../../shared/config';
import { studySchema, type Study } from '../../../shared/study';
import { PLAIN_PARSE } from '../../../shared/zod-rules';

/** Whether parsed JSON is meant as a whole study (it has `base` and a list of `axes`) rather than a base config. */
export function looksLikeStudy(v: Record<string, unknown>): boolean {
  return 'base' in v && Array.isArray(v.axes);
}

/** The study (its defaults filled in), or why it is not one, in one sentence. */
export function checkStudyJson(v: unknown): { study: Study; error: null } | { study: null; error: string } {
  const parsed = studySchema.safeParse(v, PLAIN_PARSE);
  if (parsed.success) return { study: parsed.data, error: null };
  return { study: null, error: `The study is not valid: ${issuesText(describeIssues(parsed.error), '(study)')}` };
}

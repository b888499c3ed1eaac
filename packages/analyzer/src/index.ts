export * from "./types.js";
export { analyze, type AnalyzeOptions, type Analysis } from "./analyze.js";
export { allRules, INTERNAL_ERROR_META, runRules, type Rule, type RuleMeta, type RuleSettings } from "./rules/index.js";
export { formatMessage } from "./rules/rule.js";
export { programCatalog, findProgram, type ProgramEntry, type ProgramCatalog } from "./programs.js";
export type { Issue, Limits } from "./world.js";
export { bare } from "./names.js";

export * from "./types.js";
export { analyze, type AnalyzeOptions, type Analysis } from "./analyze.js";
export { allRules, runRules, type Rule, type RuleMeta, type RuleSettings } from "./rules/index.js";
export { programCatalog, findProgram, type ProgramEntry, type ProgramCatalog } from "./programs.js";
export type { Issue, Limits } from "./world.js";
export { bare } from "./names.js";

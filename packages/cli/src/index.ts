// The `audit-image` library: audit a Dockerfile (text or path) with the CLI's options and get the typed
// report; the formatters; and the typed building blocks of @audit-image/dockerfile and @audit-image/analyzer.
export { audit, PARSE_ERROR_CODES, scanDirectory, type AuditOptions } from "./audit.js";
export type { Report, Result, ReportError, ReportFinding, RuleAliases, CommandPartInfo, CmdInfo, Inherited, Verification, DeploymentInfo } from "./report.js";
export { REPORT_SCHEMA_VERSION } from "./report.js";
export { validateConfig, ConfigError, type AuditConfig, type FailOn, type Platform, type RuleSetting } from "./config.js";
export { diskContext } from "./context-fs.js";
export { VERSION } from "./version.js";
export { reportSchemaText } from "./embedded.js";
export { toSarif } from "./format/sarif.js";
export { toGithub } from "./format/github.js";
export { formatTty, type TtyOptions } from "./format/tty.js";
export * as dockerfile from "@audit-image/dockerfile";
export * as analyzer from "@audit-image/analyzer";
export {
  buildModel, parseDockerfile, memoryFs,
  type DockerfileModel, type ModelOptions, type ContextFS, type CommandPart, type ResolvedCommand, type Origin, type Diagnostic, type Deployment,
} from "@audit-image/dockerfile";
export {
  analyze, allRules,
  type Analysis, type AnalyzeOptions, type Finding, type Prediction, type ProcessNode, type StopPrediction, type Scenario, type Severity, type RuleMeta,
} from "@audit-image/analyzer";

// The analyzer's prediction: what `docker top` shows and what `docker stop` does.

export type Role = "init" | "supervisor" | "shell" | "wrapper" | "service" | "helper" | "tool" | "unknown";

export interface SourceLoc {
  file: string;
  line: number;
  column?: number;
}

export interface ProcessNode {
  /** Predicted PID: 1 for PID 1, then in start order. */
  pid: number;
  /** What `ps` shows (for a script started through `#!`, the interpreter first). */
  argv: string[];
  /** Name of the program in the catalog, or null when unknown. */
  program: string | null;
  role: Role;
  /** Started with `&` by a shell. */
  background: boolean;
  /** The script or Dockerfile line that started (or exec'd) it. */
  source: SourceLoc | null;
  /** Why the analyzer believes what it shows, when it had to assume something. */
  note?: string;
  /** For an interpreter that runs an application (node app.js, python app.py): what the scan of its source found. */
  app?: AppFacts;
  /** For a shell: what it is doing in its steady state, and the traps it has set. */
  shell?: { state: "foreground" | "wait" | "loop"; traps: { signal: string; handler: string; file: string; line: number }[] };
  children: ProcessNode[];
}

/** A signal handler the application installs, or a framework it uses that installs one, and where. */
export interface AppHandler {
  signal: string;
  /** The file (a path in the image, or the interpreter's option for inline code); "" for a framework run with -m. */
  file: string;
  line: number;
  /** In words: process.on('SIGTERM'), signal.signal(SIGTERM, …), uvicorn… */
  what: string;
  /** The framework of the catalog that installs it. */
  framework?: string;
}

/**
 * The static scan of the application an interpreter runs (its entry file and the local files it imports). `seen`:
 * every local file was read; `partial`: some could not be (its limits, a file made by RUN); `unknown`: the entry
 * itself could not be read (not copied from the build context, only known at run time).
 */
export interface AppFacts {
  language: "node" | "python";
  /** The entry file (a path in the image), `-m module`, or the option of inline code; null when not known. */
  entry: string | null;
  status: "seen" | "partial" | "unknown";
  /** Why the scan is not complete. */
  why: string | null;
  /** How many files were read. */
  files: number;
  handlers: AppHandler[];
  /** Frameworks of the catalog it uses (whether they install a handler or not). */
  frameworks?: string[];
  /** Third-party packages or modules it imports (not followed), at most 50. */
  packages: string[];
}

export type Outcome = "graceful" | "killed" | "abrupt" | "unknown" | "not-running";

export interface Delivery {
  pid: number;
  argv0: string;
  /** Did the process get the signal? */
  receives: boolean;
  /** What it does with it: graceful-stop, fast-stop, reload, ignore, dropped (PID 1 without handler), forward, terminate (default action), deferred (a trap that runs only after the foreground command), ends (it does not get the signal: a reader of the output that ends on end of file when its writers exit), unknown… */
  action: string;
  /** How it got there: "docker stop", "forwarded by PID 1 (tini)", "kill in trap (line 4)", "SIGKILL when PID 1 exited"… */
  via: string;
}

export interface SignalWalk {
  signal: string;
  deliveries: Delivery[];
  /** One sentence: where the signal goes and what happens. */
  summary: string;
}

export interface StopPrediction {
  signal: string;
  /** Seconds before Docker sends SIGKILL. */
  gracePeriod: number;
  deliveries: Delivery[];
  outcome: Outcome;
  reason: string;
  /** Predicted exit code of the container, when it can be known. */
  exitCode: number | null;
  /** Kubernetes lifecycle.preStop: what runs before the signal, how long it takes (null: not known), and so
   * when the signal and SIGKILL come, in seconds after the stop begins. */
  preStop?: { kind: "exec" | "httpGet" | "sleep" | "tcpSocket"; what: string; seconds: number | null; signalAfter: number | null; killAfter: number | null };
}

export interface Lifecycle {
  /** "runs": keeps running until stopped; "exits": ends by itself right after start; "fails": cannot start. */
  state: "runs" | "exits" | "fails" | "unknown";
  reason: string;
  exitCode?: number | null;
  /** For "exits": the process that was PID 1 while the container ran (its argv as `ps` shows it, its catalog name). Since report 1.4.0. */
  pid1?: { argv: string[]; program: string | null };
}

export interface ScenarioPrediction {
  lifecycle: Lifecycle;
  processTree: ProcessNode | null;
  stop: StopPrediction;
  reloads: SignalWalk[];
  zombiesReaped: boolean | null;
}

export interface Scenario extends ScenarioPrediction {
  /** The run-time condition that selects this scenario, in words ("when DEBUG is set"). */
  condition: string;
}

/** Which scenario the report leads with, and why. */
export interface Headline {
  /** Its index in `scenarios` (the headline is shown at the top: processTree, stop). */
  scenario: number;
  /** Why it leads, in one sentence. */
  reason: string;
  /** The runs that end before the service starts, as conditions of the headline ("exits 1 when PASSWORD is empty or unset"). */
  preconditions: Precondition[];
}

export interface Precondition {
  /** Its index in `scenarios`. */
  scenario: number;
  outcome: "exits" | "fails";
  exitCode: number | null;
  /** When it happens, relative to the headline's own conditions ("when PASSWORD is empty or unset"). */
  condition: string;
  /** The whole sentence: "exits 1 when PASSWORD is empty or unset". */
  text: string;
}

export type Severity = "error" | "warning" | "info";

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Which of the rule's `meta.messages` the message is (absent for findings not made by a rule). */
  messageId?: string;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  fix?: { description: string; replacement?: string };
  /** Other places worth showing, such as the Dockerfile line that starts the script. */
  related?: { file: string; line: number; message: string }[];
  /** For a finding about some scenarios only: their indices in `scenarios` (one finding for all of them). */
  scenarios?: number[];
}

export interface Prediction extends ScenarioPrediction {
  /** Several scenarios when the outcome depends on run-time conditions (the first is the headline). */
  scenarios: Scenario[];
  /** With scenarios: which one leads and why, and the runs that end early as its preconditions; else null. */
  headline: Headline | null;
  /** Analysis notes: what was assumed, what was cut short. */
  notes: string[];
  truncated: { reason: string; file: string; line: number } | null;
}

// Signal names as Docker parses them (moby/sys/signal ParseSignal): a number, or a name with or without
// the SIG prefix, in any case. Linux numbering.

const LINUX_SIGNALS: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17,
  SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
  SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
};
const ALIASES: Record<string, string> = { SIGIOT: "SIGABRT", SIGPOLL: "SIGIO", SIGCLD: "SIGCHLD" };

export const SIGNAL_NUMBERS: Readonly<Record<string, number>> = LINUX_SIGNALS;

export function signalName(n: number): string | null {
  if (n >= 34 && n <= 64) return n === 34 ? "SIGRTMIN" : n === 64 ? "SIGRTMAX" : `SIGRTMIN+${n - 34}`;
  for (const [name, num] of Object.entries(LINUX_SIGNALS)) if (num === n) return name;
  return null;
}

/** Normalizes "term", "SIGTERM", "15" to "SIGTERM"; null when Docker would reject it. */
export function normalizeSignal(raw: string): string | null {
  const s = raw.trim();
  if (/^[0-9]+$/.test(s)) {
    const n = Number(s);
    return n > 0 && n <= 64 ? signalName(n) : null;
  }
  let name = s.toUpperCase();
  if (!name.startsWith("SIG")) name = "SIG" + name;
  name = ALIASES[name] ?? name;
  if (name in LINUX_SIGNALS) return name;
  const rt = /^SIGRTMIN(?:\+([0-9]+))?$|^SIGRTMAX(?:-([0-9]+))?$/.exec(name);
  if (rt) return name;
  return null;
}

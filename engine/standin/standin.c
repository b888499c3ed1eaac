/*
 * standin: one tiny static binary that stands in for real services inside the
 * audit-image test base images. It picks a personality from basename(argv[0])
 * (or from argv[1] when invoked as "standin") and mimics the real program
 * TOWARDS SIGNALS ONLY:
 *
 *   - it installs handlers for exactly the signals the real program handles,
 *     so that, as PID 1 of a container, the kernel drops the same signals the
 *     kernel would drop for the real program (see shared/reference/semantics.md §2);
 *   - it logs every signal it receives and the action the real program would
 *     take, on stdout:   "standin nginx: got SIGQUIT -> graceful-stop"
 *   - "stop" actions exit with the status documented in engine/README.md;
 *     "reload"/"reopen"-like actions only log and keep running;
 *   - it stays in the foreground and ignores all other arguments
 *     (so `nginx -g 'daemon off;'` and `postgres -D /x` just work);
 *   - master-process servers (nginx, httpd, postgres, php-fpm, gunicorn, ...)
 *     reap any child with waitpid(-1); the others leave zombies, like the
 *     real program would.
 *
 * Environment knobs (optional):
 *   STANDIN_STOP_DELAY=<seconds>  sleep this long between a stop signal and the
 *                                 exit (simulates a slow graceful shutdown)
 *   STANDIN_QUIET=1               do not print the startup line
 *
 * Build: gcc -static -O2 -o standin standin.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum kind {
  K_LOG,     /* log the action, keep running (reload, reopen, stats, ...) */
  K_STOP,    /* log, optionally delay, exit(code) */
  K_RERAISE, /* node: one-shot handler (SA_RESETHAND) that re-raises the signal
                with the default action: fatal normally, a no-op as PID 1 */
};

struct rule {
  int sig;
  enum kind kind;
  const char *action;
  int code; /* exit code for K_STOP */
};

struct persona {
  const char *names[8]; /* NULL-terminated list of argv[0] basenames */
  int reaps;            /* calls waitpid(-1) on SIGCHLD */
  struct rule rules[16];/* terminated by sig == 0 */
};

/* Programs that daemonize by default (packages/analyzer/src/data/programs.json
   "daemonizes.byDefault"): without one of their foreground arguments they fork,
   the child goes on in a new session and the parent exits 0 -- as PID 1 that
   ends the container. `fg` lists the arguments that keep them in the
   foreground; an argument that starts with '~' matches as a substring (nginx's
   -g 'daemon off;'). */
struct daemonizer {
  const char *name;
  const char *fg[6];
};
static const struct daemonizer daemonizers[] = {
  {"nginx", {"~daemon off", NULL}},
  {"httpd", {"-DFOREGROUND", "~FOREGROUND", "-X", NULL}},
  {"apache2", {"-DFOREGROUND", "~FOREGROUND", "-X", NULL}},
  {"php-fpm", {"-F", "--nodaemonize", NULL}},
  {"php-fpm8.2", {"-F", "--nodaemonize", NULL}},
  {"php-fpm8.3", {"-F", "--nodaemonize", NULL}},
  {"supervisord", {"-n", "--nodaemon", NULL}},
  {"crond", {"-f", NULL}},
  {"cron", {"-f", NULL}},
  {"sshd", {"-D", "-d", NULL}},
};

#define END {0, K_LOG, NULL, 0}

static const struct persona personas[] = {
  /* nginx master: TERM/INT fast shutdown, QUIT graceful shutdown, HUP reload,
     USR1 reopen logs, USR2 upgrade binary, WINCH graceful stop of workers. */
  {{"nginx", NULL}, 1, {
    {SIGTERM, K_STOP, "fast-stop", 0},
    {SIGINT, K_STOP, "fast-stop", 0},
    {SIGQUIT, K_STOP, "graceful-stop", 0},
    {SIGHUP, K_LOG, "reload", 0},
    {SIGUSR1, K_LOG, "reopen-logs", 0},
    {SIGUSR2, K_LOG, "upgrade-binary", 0},
    {SIGWINCH, K_LOG, "graceful-stop-workers", 0},
    END}},
  /* php-fpm master */
  {{"php-fpm", "php-fpm8.2", "php-fpm8.3", "php-fpm8.1", "php-fpm7.4", NULL}, 1, {
    {SIGTERM, K_STOP, "fast-stop", 0},
    {SIGINT, K_STOP, "fast-stop", 0},
    {SIGQUIT, K_STOP, "graceful-stop", 0},
    {SIGUSR1, K_LOG, "reopen-logs", 0},
    {SIGUSR2, K_LOG, "reload", 0},
    END}},
  /* postgres postmaster: TERM smart, INT fast, QUIT immediate, HUP reload;
     USR1/USR2 are used between postmaster and its children. */
  {{"postgres", "postmaster", NULL}, 1, {
    {SIGTERM, K_STOP, "smart-shutdown", 0},
    {SIGINT, K_STOP, "fast-shutdown", 0},
    {SIGQUIT, K_STOP, "immediate-shutdown", 0},
    {SIGHUP, K_LOG, "reload-config", 0},
    {SIGUSR1, K_LOG, "internal-pmsignal", 0},
    {SIGUSR2, K_LOG, "internal", 0},
    END}},
  /* redis-server: TERM/INT graceful shutdown (saves the dataset). */
  {{"redis-server", NULL}, 0, {
    {SIGTERM, K_STOP, "graceful-shutdown", 0},
    {SIGINT, K_STOP, "graceful-shutdown", 0},
    END}},
  /* Apache httpd parent: TERM/INT stop, WINCH graceful stop, HUP restart,
     USR1 graceful restart. httpd-foreground / apache2-foreground are shell
     scripts that `exec httpd -DFOREGROUND` in the real images. */
  {{"httpd", "apache2", "httpd-foreground", "apache2-foreground", NULL}, 1, {
    {SIGTERM, K_STOP, "stop", 0},
    {SIGINT, K_STOP, "stop", 0},
    {SIGWINCH, K_STOP, "graceful-stop", 0},
    {SIGHUP, K_LOG, "restart", 0},
    {SIGUSR1, K_LOG, "graceful-restart", 0},
    END}},
  /* mysqld / mariadbd: TERM shutdown, HUP flush/reload, USR1 flush. */
  {{"mysqld", "mariadbd", "mysqld_safe", NULL}, 0, {
    {SIGTERM, K_STOP, "shutdown", 0},
    {SIGHUP, K_LOG, "reload-flush", 0},
    {SIGUSR1, K_LOG, "flush-logs", 0},
    END}},
  /* memcached: TERM/INT exit; USR1 graceful shutdown (when enabled); HUP. */
  {{"memcached", NULL}, 0, {
    {SIGTERM, K_STOP, "shutdown", 0},
    {SIGINT, K_STOP, "shutdown", 0},
    {SIGUSR1, K_STOP, "graceful-shutdown", 0},
    {SIGHUP, K_LOG, "ignored-by-handler", 0},
    END}},
  /* node (measured, node 20 as PID 1 of a PID namespace): SigCgt = INT USR1
     SEGV TERM. On INT/TERM node resets the tty and re-raises the signal with
     the default action: fatal (128+n) normally, nothing at all as PID 1, so
     node keeps running and a second signal is dropped by the kernel.
     USR1 starts the inspector. HUP is not caught. */
  {{"node", "nodejs", NULL}, 0, {
    {SIGTERM, K_RERAISE, "reset-stdio-and-reraise", 0},
    {SIGINT, K_RERAISE, "reset-stdio-and-reraise", 0},
    {SIGUSR1, K_LOG, "start-inspector", 0},
    END}},
  /* python: only SIGINT (KeyboardInterrupt -> exit 130). No TERM handler. */
  {{"python3", "python", "python3.11", "python3.12", NULL}, 0, {
    {SIGINT, K_STOP, "KeyboardInterrupt", 130},
    END}},
  /* JVM: TERM/INT/HUP run shutdown hooks and exit 128+n; QUIT = thread dump. */
  {{"java", NULL}, 0, {
    {SIGTERM, K_STOP, "shutdown-hooks", 143},
    {SIGINT, K_STOP, "shutdown-hooks", 130},
    {SIGHUP, K_STOP, "shutdown-hooks", 129},
    {SIGQUIT, K_LOG, "thread-dump", 0},
    END}},
  /* gunicorn arbiter */
  {{"gunicorn", NULL}, 1, {
    {SIGTERM, K_STOP, "graceful-stop", 0},
    {SIGINT, K_STOP, "quick-stop", 0},
    {SIGQUIT, K_STOP, "quick-stop", 0},
    {SIGHUP, K_LOG, "reload", 0},
    {SIGTTIN, K_LOG, "add-worker", 0},
    {SIGTTOU, K_LOG, "remove-worker", 0},
    {SIGUSR1, K_LOG, "reopen-logs", 0},
    {SIGUSR2, K_LOG, "upgrade-binary", 0},
    {SIGWINCH, K_LOG, "graceful-stop-workers", 0},
    END}},
  /* uWSGI master (2.0 defaults, without --die-on-term): TERM = brutal RELOAD,
     not stop; INT/QUIT kill everything; HUP graceful reload. See main() for
     --die-on-term. */
  {{"uwsgi", NULL}, 1, {
    {SIGTERM, K_LOG, "brutal-reload", 0},
    {SIGINT, K_STOP, "brutal-shutdown", 0},
    {SIGQUIT, K_STOP, "brutal-shutdown", 0},
    {SIGHUP, K_LOG, "graceful-reload", 0},
    {SIGUSR1, K_LOG, "print-stats", 0},
    {SIGUSR2, K_LOG, "print-worker-status", 0},
    {SIGTSTP, K_LOG, "pause", 0},
    END}},
  /* puma */
  {{"puma", NULL}, 1, {
    {SIGTERM, K_STOP, "graceful-stop", 0},
    {SIGINT, K_STOP, "graceful-stop", 0},
    {SIGQUIT, K_STOP, "graceful-stop", 0},
    {SIGUSR2, K_LOG, "restart", 0},
    {SIGUSR1, K_LOG, "phased-restart", 0},
    {SIGHUP, K_LOG, "reopen-logs", 0},
    {SIGTTIN, K_LOG, "add-worker", 0},
    {SIGTTOU, K_LOG, "remove-worker", 0},
    END}},
  /* OpenSSH sshd -D: TERM -> exit 0, QUIT -> exit 255, HUP re-exec. SIGINT
     is not caught (only in debug mode). */
  {{"sshd", NULL}, 1, {
    {SIGTERM, K_STOP, "terminate", 0},
    {SIGQUIT, K_STOP, "terminate", 255},
    {SIGHUP, K_LOG, "restart", 0},
    END}},
  /* rabbitmq-server (Erlang VM): TERM -> init:stop() orderly shutdown. */
  {{"rabbitmq-server", "beam.smp", NULL}, 0, {
    {SIGTERM, K_STOP, "orderly-shutdown", 0},
    {SIGUSR1, K_STOP, "crash-dump", 1},
    END}},
  /* mongod: TERM/INT clean shutdown, USR1 log rotate. */
  {{"mongod", NULL}, 0, {
    {SIGTERM, K_STOP, "clean-shutdown", 0},
    {SIGINT, K_STOP, "clean-shutdown", 0},
    {SIGUSR1, K_LOG, "rotate-logs", 0},
    END}},
  /* supervisord: starts every [program:x] command= of its config (-c, default
     /etc/supervisord.conf) as a child; TERM/INT/QUIT stop every program
     (SIGTERM, the default stopsignal), wait for them (stopwaitsecs 10, then
     SIGKILL) and exit 0; HUP restarts them (logged only); USR2 reopens logs.
     Daemonizes unless -n/--nodaemon or nodaemon=true in [supervisord]. */
  {{"supervisord", NULL}, 1, {
    {SIGTERM, K_STOP, "stop-all-programs", 0},
    {SIGINT, K_STOP, "stop-all-programs", 0},
    {SIGQUIT, K_STOP, "stop-all-programs", 0},
    {SIGHUP, K_LOG, "restart-programs", 0},
    {SIGUSR2, K_LOG, "reopen-logs", 0},
    END}},
  /* No handlers at all: PID 1 ignores TERM, only SIGKILL ends it. crond as in
     BusyBox crond; "app" is the generic service. */
  {{"crond", "cron", "app", NULL}, 0, {END}},
};

static const char *name = "app";
static volatile sig_atomic_t pending[65];
static int reaps;

static void out(const char *fmt, ...) {
  char buf[512];
  int n = snprintf(buf, sizeof buf, "standin %s[%d]: ", name, (int)getpid());
  va_list ap;
  va_start(ap, fmt);
  n += vsnprintf(buf + n, sizeof buf - n, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
  buf[n++] = '\n';
  ssize_t w = write(1, buf, n);
  (void)w;
}

static void on_signal(int sig) { pending[sig] = 1; }

static const char *signame(int sig) {
  static char b[16];
  const char *abbrev = sigabbrev_np(sig);
  if (!abbrev) { snprintf(b, sizeof b, "SIG%d", sig); return b; }
  snprintf(b, sizeof b, "SIG%s", abbrev);
  return b;
}

static void reap(void) {
  int st;
  pid_t p;
  while ((p = waitpid(-1, &st, WNOHANG)) > 0)
    out("reaped child %d", (int)p);
}

/* ---- supervisord: programs from the config ---------------------------- */
#define MAXPROG 16
static pid_t progs[MAXPROG];
static int nprogs;

static int split_words(char *line, char **w, int max) {
  int n = 0;
  char *p = line;
  while (*p && n < max - 1) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) break;
    char q = 0;
    if (*p == '"' || *p == '\'') q = *p++;
    w[n++] = p;
    while (*p && (q ? *p != q : (*p != ' ' && *p != '\t'))) p++;
    if (*p) *p++ = 0;
  }
  w[n] = NULL;
  return n;
}

static const char *config_path(int argc, char **argv) {
  for (int i = 1; i < argc - 1; i++)
    if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--configuration") == 0) return argv[i + 1];
  return "/etc/supervisord.conf";
}

/* nodaemon=true in the [supervisord] section */
static int supervisord_nodaemon(const char *conf) {
  FILE *f = fopen(conf, "r");
  if (!f) return 0;
  char line[512];
  int in = 0, yes = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == '[') { in = strncmp(line, "[supervisord]", 13) == 0; continue; }
    if (in && strstr(line, "nodaemon") && (strstr(line, "true") || strstr(line, "1"))) yes = 1;
  }
  fclose(f);
  return yes;
}

static void supervisord_start(const char *conf) {
  FILE *f = fopen(conf, "r");
  if (!f) { out("no config %s: no programs", conf); return; }
  char line[512], prog[64] = "";
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == '[') {
      prog[0] = 0;
      if (strncmp(line, "[program:", 9) == 0) {
        snprintf(prog, sizeof prog, "%.60s", line + 9);
        prog[strcspn(prog, "]")] = 0;
      }
      continue;
    }
    if (!prog[0] || strncmp(line, "command", 7) != 0) continue;
    char *eq = strchr(line, '=');
    if (!eq || nprogs >= MAXPROG) continue;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s", eq + 1);
    char *w[32];
    if (split_words(cmd, w, 32) == 0) continue;
    pid_t pid = fork();
    if (pid == 0) {
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, NULL);
      execvp(w[0], w);
      _exit(127);
    }
    if (pid > 0) {
      progs[nprogs++] = pid;
      out("spawned program %s (pid %d): %s", prog, (int)pid, eq + 1);
    }
  }
  fclose(f);
}

/* stop every program with SIGTERM, wait up to 10 s each (stopwaitsecs), then SIGKILL */
static void supervisord_stop_all(void) {
  for (int i = nprogs - 1; i >= 0; i--) {
    if (progs[i] <= 0) continue;
    out("stopping program pid %d with SIGTERM", (int)progs[i]);
    kill(progs[i], SIGTERM);
    int st, waited = 0;
    while (waitpid(progs[i], &st, WNOHANG) == 0) {
      if (waited >= 10000) { kill(progs[i], SIGKILL); waitpid(progs[i], &st, 0); break; }
      struct timespec ts = {0, 50 * 1000000L};
      nanosleep(&ts, NULL);
      waited += 50;
    }
    out("program pid %d stopped", (int)progs[i]);
  }
}

/* nginx's ngx_get_options(): every argument must be an option; -p/-e/-c/-g/-s
   take a value (attached or the next argument); -t/-T/-v/-V/-h/-? print and
   exit 0. A stray word is "invalid option" and nginx exits 1. Returns -1 to go
   on, or the exit code; *daemon_off is set by -g '...daemon off;...'. */
static int nginx_options(int first, int argc, char **argv, int *daemon_off) {
  for (int i = first; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') {
      fprintf(stderr, "nginx: invalid option: \"%s\"\n", a);
      return 1;
    }
    for (const char *q = a + 1; *q; q++) {
      switch (*q) {
      case '?': case 'h': case 'v': case 'V': case 't': case 'T':
        out("option -%c: prints and exits 0", *q);
        return 0;
      case 'q':
        break;
      case 'p': case 'e': case 'c': case 'g': case 's': {
        const char *v = q[1] ? q + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!v) { fprintf(stderr, "nginx: option \"-%c\" requires parameter\n", *q); return 1; }
        if (*q == 'g' && strstr(v, "daemon off")) *daemon_off = 1;
        if (*q == 's') { out("-s %s: signals the running master and exits", v); return 0; }
        q = v + strlen(v) - 1; /* value consumed */
        goto next;
      }
      default:
        fprintf(stderr, "nginx: invalid option: \"%c\"\n", *q);
        return 1;
      }
    }
  next:;
  }
  return -1;
}

static int foreground_override(const char *base) {
  const char *e = getenv("STANDIN_FOREGROUND");
  if (e && *e && strcmp(e, "0") != 0) return 1;
  /* images built from the catalog list the programs their config keeps in
     the foreground (e.g. php:*-fpm writes daemonize = no) */
  FILE *f = fopen("/etc/audit-image-standin/foreground", "r");
  if (!f) return 0;
  char line[128];
  int yes = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (strcmp(line, base) == 0) yes = 1;
  }
  fclose(f);
  return yes;
}

/* 1 when the program would detach from its parent (daemonize) */
static int daemonizes(const char *base, int argc, char **argv) {
  const struct daemonizer *d = NULL;
  for (size_t i = 0; i < sizeof daemonizers / sizeof daemonizers[0]; i++)
    if (strcmp(daemonizers[i].name, base) == 0) d = &daemonizers[i];
  if (!d) return 0;
  if (foreground_override(base)) return 0;
  if (strcmp(base, "supervisord") == 0 && supervisord_nodaemon(config_path(argc, argv))) return 0;
  int first = strcmp(argv[0], "standin") == 0 || (strrchr(argv[0], '/') && strcmp(strrchr(argv[0], '/') + 1, "standin") == 0) ? 2 : 1;
  for (int i = first; i < argc; i++)
    for (int j = 0; d->fg[j]; j++) {
      const char *f = d->fg[j];
      if (f[0] == '~' ? strstr(argv[i], f + 1) != NULL : strcmp(argv[i], f) == 0) return 0;
    }
  return 1;
}

int main(int argc, char **argv) {
  const char *base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  if (strcmp(base, "standin") == 0 && argc > 1) base = argv[1];
  name = base;

  setvbuf(stdout, NULL, _IONBF, 0);

  const struct persona *p = NULL;
  for (size_t i = 0; i < sizeof personas / sizeof personas[0] && !p; i++)
    for (int j = 0; personas[i].names[j]; j++)
      if (strcmp(personas[i].names[j], base) == 0) { p = &personas[i]; break; }
  int unknown = (p == NULL);
  if (!p) p = &personas[sizeof personas / sizeof personas[0] - 1]; /* "app" */

  /* copy rules so uwsgi --die-on-term can rewrite TERM */
  struct rule rules[16];
  int nrules = 0;
  for (; p->rules[nrules].sig; nrules++) rules[nrules] = p->rules[nrules];
  if (strcmp(p->names[0], "uwsgi") == 0) {
    int die = 0;
    const char *e = getenv("UWSGI_DIE_ON_TERM");
    if (e && *e && strcmp(e, "0") != 0 && strcmp(e, "false") != 0) die = 1;
    for (int i = 1; i < argc; i++)
      if (strcmp(argv[i], "--die-on-term") == 0) die = 1;
    if (die)
      for (int i = 0; i < nrules; i++)
        if (rules[i].sig == SIGTERM) { rules[i].kind = K_STOP; rules[i].action = "shutdown"; }
  }
  reaps = p->reaps;

  if (strcmp(p->names[0], "nginx") == 0) {
    int first = strcmp(argv[0], "standin") == 0 || (strrchr(argv[0], '/') && strcmp(strrchr(argv[0], '/') + 1, "standin") == 0) ? 2 : 1;
    int daemon_off = 0;
    int rc = nginx_options(first, argc, argv, &daemon_off);
    if (rc >= 0) return rc;
  }
  if (daemonizes(base, argc, argv)) {
    pid_t c = fork();
    if (c > 0) {
      out("daemonizing: child %d goes on in the background, parent exits 0", (int)c);
      return 0;
    }
    if (c == 0) setsid();
  }

  /* every stop simulates a short shutdown, so that a process killed in the
     middle of it (PID 1 exited) never logs "stopped" */
  double delay = 0.2;
  const char *d = getenv("STANDIN_STOP_DELAY");
  if (d) delay = atof(d);

  /* Block the handled signals; sigsuspend() opens them atomically. */
  sigset_t handled, old;
  sigemptyset(&handled);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  char list[256] = "";
  for (int i = 0; i < nrules; i++) {
    sa.sa_flags = rules[i].kind == K_RERAISE ? SA_RESETHAND : 0;
    sigaction(rules[i].sig, &sa, NULL);
    sigaddset(&handled, rules[i].sig);
    strncat(list, " ", sizeof list - strlen(list) - 1);
    strncat(list, signame(rules[i].sig) + 3, sizeof list - strlen(list) - 1);
  }
  if (reaps) {
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    sigaddset(&handled, SIGCHLD);
  }
  sigprocmask(SIG_BLOCK, &handled, &old);

  if (!getenv("STANDIN_QUIET") || !*getenv("STANDIN_QUIET"))
    out("pid %d ready%s; handles:%s%s", (int)getpid(),
        unknown ? " (unknown name, acting as app)" : "",
        nrules ? list : " nothing", reaps ? " (+CHLD: reaps children)" : "");

  if (strcmp(p->names[0], "supervisord") == 0) supervisord_start(config_path(argc, argv));

  for (;;) {
    sigsuspend(&old);
    if (reaps && pending[SIGCHLD]) { pending[SIGCHLD] = 0; reap(); }
    for (int i = 0; i < nrules; i++) {
      int sig = rules[i].sig;
      if (!pending[sig]) continue;
      pending[sig] = 0;
      out("got %s -> %s", signame(sig), rules[i].action);
      switch (rules[i].kind) {
      case K_LOG:
        break;
      case K_STOP:
        if (strcmp(p->names[0], "supervisord") == 0) supervisord_stop_all();
        if (delay > 0) {
          out("shutting down (%.1f s)", delay);
          struct timespec ts = {(time_t)delay, (long)((delay - (time_t)delay) * 1e9)};
          while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
        }
        out("stopped, exit %d", rules[i].code);
        return rules[i].code;
      case K_RERAISE: {
        /* SA_RESETHAND already restored SIG_DFL. Raise it (blocked, so it is
           queued) and unblock it for good: normally the default action kills
           us (128+n); as PID 1 of a PID namespace the kernel discards it. */
        sigset_t one;
        sigemptyset(&one);
        sigaddset(&one, sig);
        out("re-raising %s with default action", signame(sig));
        /* Outside PID 1 the default action ends the process: that is node's
           whole shutdown, so it counts as finished. */
        if (getpid() != 1) out("stopped, exit %d (killed by the default action of %s)", 128 + sig, signame(sig));
        raise(sig);
        sigprocmask(SIG_UNBLOCK, &one, NULL);
        sigdelset(&old, sig);
        out("still running (PID 1 ignores %s with default action)", signame(sig));
        break;
      }
      }
    }
  }
}

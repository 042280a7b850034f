"""racelab_kit: the lab kit for Python twins, the same contract as the C kit (labkit/).

A twin reads its knobs from the command line (--name N or --name=N, whole numbers in a
range; --help lists them), starts its workers together through a gate, and reports once
at the end: a line for the person watching, and a record on the result channel, the file
descriptor the harness names in RACELAB_RESULT_FD (the format is labkit/result.c's; the
harness parses it in harness/result_channel.c). Outside the harness only the line is
printed. Standard library only (Debian 12's python3, 3.11).
"""

import os
import sys
import threading
import time

RESULT_FD_ENV = "RACELAB_RESULT_FD"
WHAT_MAX = 63  # bytes of `what` the harness keeps (harness/result_channel.h)
MAX_METRICS = 16  # as labkit/result.c


class Knob:
    """One whole-number option: --name N, default value, allowed range [lo, hi]."""

    def __init__(self, name, value, help_text, lo, hi):
        self.name, self.value, self.help, self.lo, self.hi = name, value, help_text, lo, hi


class UsageError(Exception):
    """A bad command line: the message is "prog: --opt: why (try --help)"."""


class Knobs:
    """The parsed knobs as attributes: --iterations becomes .iterations, --wait-us
    .wait_us."""

    def __init__(self, knobs):
        for k in knobs:
            setattr(self, k.name.replace("-", "_"), k.value)


def _set(prog, opt, knob, text):
    try:
        value = int(text, 10)
    except ValueError:
        raise UsageError(f"{prog}: {opt}: expected a whole number (try --help)") from None
    if not knob.lo <= value <= knob.hi:
        raise UsageError(
            f"{prog}: {opt}: must be between {knob.lo} and {knob.hi} (try --help)")
    knob.value = value


def usage_text(prog, summary, knobs):
    """The --help text, as labkit/args.c prints it."""
    width = max([4] + [len(k.name) for k in knobs])
    lines = [f"usage: {prog} [options]", summary, "", "options:"]
    lines += [f"  --{k.name:<{width}} N  {k.help} (default {k.value})" for k in knobs]
    lines.append(f"  --{'help':<{width}}    this text")
    return "\n".join(lines) + "\n"


def parse(argv, summary, knobs):
    """Parses argv[1:] into the knobs (the last occurrence of a knob wins, as in C).
    Returns a Knobs, or None when --help was asked for. Raises UsageError. Pure: no I/O,
    no exit (knobs() below does those)."""
    prog = os.path.basename(argv[0]) if argv else "twin"
    by_name = {k.name: k for k in knobs}
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--help", "-h"):
            return None
        if not arg.startswith("--"):
            raise UsageError(f"{prog}: {arg}: unexpected argument (try --help)")
        name, eq, text = arg[2:].partition("=")
        knob = by_name.get(name)
        if knob is None:
            raise UsageError(f"{prog}: {arg}: unknown option (try --help)")
        if not eq:
            if i + 1 == len(args):
                raise UsageError(f"{prog}: {arg}: needs a value (try --help)")
            i += 1
            text = args[i]
        _set(prog, arg, knob, text)
        i += 1
    return Knobs(knobs)


def knobs(summary, knob_list, argv=None):
    """The twin's knobs from sys.argv: prints --help and exits 0, or prints a usage error
    and exits 2, exactly as the C kit does."""
    argv = sys.argv if argv is None else argv
    try:
        parsed = parse(argv, summary, knob_list)
    except UsageError as e:
        print(e, file=sys.stderr)
        sys.exit(2)
    if parsed is None:
        sys.stdout.write(usage_text(os.path.basename(argv[0]), summary, knob_list))
        sys.exit(0)
    return parsed


def threads_knob(default=2):
    return Knob("threads", default, "worker threads", 1, 1024)


def iterations_knob(default=100000):
    return Knob("iterations", default, "iterations per worker", 1, 1_000_000_000)


class Gate:
    """The start gate: every worker waits here until all `parties` have arrived, so that
    their loops overlap. Threads use threading.Barrier; processes pass
    multiprocessing.Barrier through `barrier`."""

    def __init__(self, parties, barrier=None):
        self.barrier = barrier if barrier is not None else threading.Barrier(parties)

    def wait(self):
        self.barrier.wait()


def clock_ns():
    """Monotonic time in nanoseconds, like rl_clock_ns()."""
    return time.monotonic_ns()


def _g(x):
    """A number as C's %.17g prints it."""
    return "%.17g" % x


def _record_what(what):
    """`what` for the record: line breaks made spaces, at most WHAT_MAX bytes of UTF-8
    (never cutting a character in two)."""
    text = (what or "").replace("\n", " ").replace("\r", " ")
    return text.encode("utf-8")[:WHAT_MAX].decode("utf-8", "ignore")


def _metric_name(name):
    return name.replace(" ", "_").replace("\n", "_").encode("utf-8")[:47].decode(
        "utf-8", "ignore")


def record(what, observed, expected, symptom, inconclusive=False, timing=False, ops=0,
           work_ns=0, metrics=None):
    """The record labkit/result.c writes, as text. Pure."""
    lines = ["racelab-result 1", f"what {_record_what(what)}", f"observed {_g(observed)}",
             f"expected {_g(expected)}", f"symptom {int(bool(symptom))}",
             f"inconclusive {int(bool(inconclusive))}", f"timing {int(bool(timing))}",
             f"ops {int(ops)}", f"work_ns {int(work_ns)}"]
    for name, value in list((metrics or {}).items())[:MAX_METRICS]:
        lines.append(f"metric {_metric_name(name)} {_g(value)}")
    lines.append("end")
    return "\n".join(lines) + "\n"


def summary_lines(what, observed, expected, symptom, inconclusive=False, ops=0, work_ns=0,
                  metrics=None):
    """The lines labkit/result.c prints for people. Pure."""
    mark = ("  (cannot judge here)" if inconclusive
            else "  <-- the bug showed" if symptom else "")
    out = [f"{what}: observed {_g(observed)}, expected {_g(expected)}{mark}"]
    if ops > 0 and work_ns > 0:
        out.append(f"time: {work_ns / 1e6:.3f} ms for {ops} operations "
                   f"({work_ns / ops:.2f} ns each)")
    for name, value in list((metrics or {}).items())[:MAX_METRICS]:
        out.append(f"{_metric_name(name)}: {_g(value)}")
    return "\n".join(out) + "\n"


def channel_fd(environ=None):
    """The fd the harness gave us, or -1 (absent, empty or not a number)."""
    text = (os.environ if environ is None else environ).get(RESULT_FD_ENV, "")
    if not text.isdigit() or int(text) > 1 << 20:
        return -1
    return int(text)


def report(what, observed, expected, symptom, inconclusive=False, timing=False, ops=0,
           work_ns=0, metrics=None):
    """Prints the run's result and writes its record to the result channel, if there is
    one. Call once, at the end, from the main process only (a forked child inherits the
    channel: a second record would make the run an ERROR)."""
    sys.stdout.write(summary_lines(what, observed, expected, symptom, inconclusive, ops,
                                   work_ns, metrics))
    sys.stdout.flush()
    fd = channel_fd()
    if fd < 0:
        return
    data = record(what, observed, expected, symptom, inconclusive, timing, ops, work_ns,
                  metrics).encode("utf-8")
    try:
        if os.write(fd, data) != len(data):  # one write: the pipe takes it whole
            print("racelab result channel: short write", file=sys.stderr)
    except OSError as e:
        print(f"racelab result channel: {e.strerror}", file=sys.stderr)

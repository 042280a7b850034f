"""lost_update.py: Lab 3's Python twin, the lost update under the GIL.

Worker threads add 1 to one global counter, `iterations` times each. The GIL lets one
thread run Python code at a time, and each bytecode runs whole, but `counter += 1` is
several bytecodes (load, add, store): the GIL does not make the read-modify-write atomic.
CPython 3.11 switches threads only at a function's start and at a loop's backward jump,
so the plain `counter += 1` (--call-between 0) almost never loses an update: no switch
point falls between its load and its store. A call between the read and the write
(--call-between 1, the default) is a switch point inside the read-modify-write, and then
updates are lost, as in C.

Expect (--call-between 1): the counter falls short of threads x iterations in almost every
run. Run it with `racelab run lab3 --python` (or `make lab3-py`); the fixed version is
solutions/03-lost-update/python/lock.py.
"""
import pathlib
import sys
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

counter = 0  # shared by every worker, guarded by nothing


def log_step():
    """Does nothing; but calling it is a point where CPython 3.11 may switch threads."""


def worker_call_between(gate, iterations):
    global counter
    gate.wait()  # all workers start together, so their loops overlap
    for _ in range(iterations):
        seen = counter  # RACE: read ...
        log_step()  # ... another thread may run here and add its updates ...
        counter = seen + 1  # ... which this write then overwrites


def worker_plain(gate, iterations):
    global counter
    gate.wait()
    for _ in range(iterations):
        counter += 1  # RACE too, but 3.11 never switches between its load and store


def main():
    k = kit.knobs("Lab 3 (Python): threads increment one counter without a lock.", [
        kit.threads_knob(2),
        kit.iterations_knob(100000),
        kit.Knob("call-between", 1, "1: read, call, write; 0: plain counter += 1", 0, 1),
        kit.Knob("switch-us", 5000, "sys.setswitchinterval in microseconds", 1, 1000000),
    ])
    sys.setswitchinterval(k.switch_us / 1e6)
    gate = kit.Gate(k.threads)
    body = worker_call_between if k.call_between else worker_plain
    workers = [threading.Thread(target=body, args=(gate, k.iterations))
               for _ in range(k.threads)]
    start = kit.clock_ns()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = kit.clock_ns() - start

    expected = k.threads * k.iterations
    kit.report("counter", counter, expected, counter != expected, ops=expected,
               work_ns=elapsed)


if __name__ == "__main__":
    main()

"""lock.py: Lab 3's Python twin, fixed with a threading.Lock.

The read, the call and the write happen while the lock is held, so no other thread's
update can fall between them: a switch inside the critical section only lets the other
thread wait for the lock.
"""
import pathlib
import sys
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

counter = 0  # guarded by counter_lock
counter_lock = threading.Lock()


def log_step():
    """Does nothing; but calling it is a point where CPython 3.11 may switch threads."""


def worker_call_between(gate, iterations):
    global counter
    gate.wait()
    for _ in range(iterations):
        with counter_lock:  # FIXED: the whole read-call-write is one critical section
            seen = counter
            log_step()
            counter = seen + 1


def worker_plain(gate, iterations):
    global counter
    gate.wait()
    for _ in range(iterations):
        with counter_lock:  # FIXED
            counter += 1


def main():
    k = kit.knobs("Lab 3 (Python), fixed: the increment is done under a lock.", [
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

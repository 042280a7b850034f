"""threads.py: Lab 1's Python twin, fixed with threads: they share the parent's memory.

The same split of 1..n over workers, but the workers are threads of one process: their
writes to partial[wid] land in the one list the main thread reads. The shared count is
updated under a threading.Lock, since the GIL does not make `items += 1` with a switch
point inside it safe (lab 3).
"""
import pathlib
import sys
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

partial = []  # partial[wid]: worker wid's sum, written by the worker
items = 0  # guarded by items_lock
items_lock = threading.Lock()


def worker(wid, first, last, gate):
    global items
    gate.wait()
    total = 0
    for x in range(first, last + 1):
        total += x
        with items_lock:  # FIXED: one thread at a time
            items += 1
    partial[wid] = total  # FIXED: threads share partial with the main thread


def main():
    k = kit.knobs("Lab 1 (Python), fixed: worker threads add up 1..n into a shared list.", [
        kit.threads_knob(2),
        kit.iterations_knob(100000),
    ])
    n = k.threads * k.iterations
    partial.extend([0] * k.threads)
    gate = kit.Gate(k.threads)
    workers = [threading.Thread(target=worker,
                                args=(w, w * k.iterations + 1, (w + 1) * k.iterations, gate))
               for w in range(k.threads)]
    start = kit.clock_ns()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = kit.clock_ns() - start

    seen, expected = sum(partial), n * (n + 1) // 2
    kit.report("sum seen by the parent", seen, expected, seen != expected or items != n,
               ops=n, work_ns=elapsed, metrics={"items_counted": items, "items_expected": n})


if __name__ == "__main__":
    main()

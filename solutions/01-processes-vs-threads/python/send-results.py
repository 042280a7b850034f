"""send-results.py: Lab 1's Python twin, fixed with processes that send their results.

Processes stay isolated; what the parent needs must be sent to it. Each worker puts its
partial sum on a multiprocessing.Queue (a pipe), and adds its item count to the shared
Value once, at the end, under the Value's own lock: processes run in parallel, so the
shared memory needs a lock a process can take (a semaphore shared between them).
"""
import multiprocessing
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402


def worker(wid, first, last, items, results, gate):
    gate.wait()
    total = count = 0
    for x in range(first, last + 1):
        total += x
        count += 1  # this process's own count: nothing shared in the loop
    with items.get_lock():  # FIXED: a lock shared between the processes
        items.value += count
    results.put((wid, total))  # FIXED: the parent receives the partial sum


def main():
    k = kit.knobs("Lab 1 (Python), fixed: worker processes send their sums on a queue.", [
        kit.threads_knob(2),
        kit.iterations_knob(100000),
    ])
    n = k.threads * k.iterations
    ctx = multiprocessing.get_context("fork")
    items = ctx.Value("q", 0)  # shared memory with its own lock
    results = ctx.Queue()
    gate = kit.Gate(k.threads, ctx.Barrier(k.threads))
    workers = [ctx.Process(target=worker, args=(w, w * k.iterations + 1,
                                                (w + 1) * k.iterations, items, results, gate))
               for w in range(k.threads)]
    start = kit.clock_ns()
    for p in workers:
        p.start()
    partial = dict(results.get() for _ in workers)  # before join: a full pipe blocks a put
    for p in workers:
        p.join()
    elapsed = kit.clock_ns() - start

    seen, expected = sum(partial.values()), n * (n + 1) // 2
    kit.report("sum seen by the parent", seen, expected, seen != expected or items.value != n,
               ops=n, work_ns=elapsed,
               metrics={"items_counted": items.value, "items_expected": n})


if __name__ == "__main__":
    main()

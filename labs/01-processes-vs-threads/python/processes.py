"""processes.py: Lab 1's Python twin: processes are isolated, threads share memory.

The program adds up the numbers 1..n, split over worker processes (multiprocessing), the
way one would split it over threads. Each worker adds up its share and stores its partial
sum in partial[wid], a plain global list, and counts every number it handles in `items`,
a multiprocessing.Value that lives in memory shared with the parent. The parent waits for
every worker, then adds up partial.

Two bugs, one per marked line:
- Each process has its own copy of the parent's memory (fork): the worker's write to
  partial[wid] lands in that copy, so the parent's list stays all zeros and the sum it
  sees is 0 in every run. Not a race: isolation.
- The shared Value really is shared, and the processes run truly in parallel (each has its
  own interpreter and its own GIL): `items.value += 1` is a read and a write, and updates
  are lost as in C.

Expect: the sum seen by the parent is 0 in every run, and the item count falls short.
Run it with `racelab run lab1 --python`; the fixed versions are in
solutions/01-processes-vs-threads/python/.
"""
import multiprocessing
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

partial = []  # partial[wid]: worker wid's sum, written by the worker


def worker(wid, first, last, items, gate):
    gate.wait()  # all workers start together, so their updates of items overlap
    total = 0
    for x in range(first, last + 1):
        total += x
        items.value += 1  # RACE: a read and a write of shared memory, no lock
    partial[wid] = total  # BUG: lands in this process's own copy of partial


def main():
    k = kit.knobs("Lab 1 (Python): worker processes add up 1..n into a plain list.", [
        kit.threads_knob(2),
        kit.iterations_knob(100000),
    ])
    n = k.threads * k.iterations
    partial.extend([0] * k.threads)
    ctx = multiprocessing.get_context("fork")
    items = ctx.Value("q", 0, lock=False)  # shared memory, guarded by nothing
    gate = kit.Gate(k.threads, ctx.Barrier(k.threads))
    workers = [ctx.Process(target=worker,
                           args=(w, w * k.iterations + 1, (w + 1) * k.iterations, items, gate))
               for w in range(k.threads)]
    start = kit.clock_ns()
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    elapsed = kit.clock_ns() - start
    if any(p.exitcode != 0 for p in workers):
        print("lab01.py: a worker process failed", file=sys.stderr)
        sys.exit(1)

    seen, expected = sum(partial), n * (n + 1) // 2
    kit.report("sum seen by the parent", seen, expected, seen != expected or items.value != n,
               ops=n, work_ns=elapsed,
               metrics={"items_counted": items.value, "items_expected": n})


if __name__ == "__main__":
    main()

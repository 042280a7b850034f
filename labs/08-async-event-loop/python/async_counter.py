"""async_counter.py: Lab 8's Python twin, real asyncio: races between awaits, one thread.

One event loop runs a few tasks. Each task handles `iterations` requests: it awaits the
next one (simulated I/O of random length), then counts it the way a careless async
program does: reads the shared counter, awaits more I/O (writing a log record), and
writes back what it read, plus 1. While a task waits at that await, the loop runs the
other tasks; they count their requests, and the late write wipes out their counts.
asyncio switches tasks only at an await, so the race is exactly where the await is.

A second bug: one task calls a blocking function (time.sleep, standing for a blocking
library call: requests.get, input()) inside the coroutine. The loop cannot run anything
else meanwhile: every task stalls. A ticker task measures the longest gap between its
ticks (metric loop_stall_ms).

Expect: the counter far below tasks x iterations, and a stall of about --block-ms, in
every run. Run it with `racelab run lab8 --python`; the fixed versions are in
solutions/08-async-event-loop/python/.
"""
import asyncio
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

counter = 0  # shared by every task; the loop runs one task at a time


async def io(max_us):
    await asyncio.sleep(random.randint(0, max_us) / 1e6)


async def handle_requests(iterations, max_us):
    global counter
    for _ in range(iterations):
        await io(max_us)  # wait for the next request
        seen = counter  # RACE: read...
        await io(max_us)  # ...write a log record: other tasks run here...
        counter = seen + 1  # ...and this write wipes out what they counted


async def blocking_job(block_ms):
    await asyncio.sleep(0.001)
    time.sleep(block_ms / 1000)  # BUG: blocks the thread, and with it the whole loop


async def ticker(stop, tick_ms, gaps):
    last = time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(tick_ms / 1000)
        now = time.monotonic()
        gaps.append(now - last)
        last = now


async def main_async(k):
    stop, gaps = asyncio.Event(), []
    tick = asyncio.create_task(ticker(stop, 1, gaps))
    await asyncio.gather(blocking_job(k.block_ms),
                         *(handle_requests(k.iterations, k.io_us) for _ in range(k.tasks)))
    stop.set()
    await tick
    return max(gaps) * 1000


def main():
    k = kit.knobs("Lab 8 (Python): asyncio tasks count requests with an await inside.", [
        kit.Knob("tasks", 8, "tasks counting requests", 1, 10000),
        kit.iterations_knob(20),
        kit.Knob("io-us", 1000, "longest simulated I/O, microseconds", 0, 10**6),
        kit.Knob("block-ms", 50, "how long the blocking call blocks, milliseconds", 0, 10**4),
        kit.Knob("seed", 0, "random seed (0: a new one each run)", 0, 2**31),
    ])
    random.seed(k.seed or None)
    start = kit.clock_ns()
    stall_ms = asyncio.run(main_async(k))
    elapsed = kit.clock_ns() - start
    expected = k.tasks * k.iterations
    # The loop stalled when one gap between 1 ms ticks took half the blocking call or more.
    # A busy machine can fake that alone: then it is a timing symptom, not a wrong count.
    stalled = k.block_ms > 0 and stall_ms >= k.block_ms / 2
    kit.report("counter", counter, expected, counter != expected or stalled,
               timing=counter == expected, ops=expected, work_ns=elapsed,
               metrics={"loop_stall_ms": stall_ms, "block_ms": k.block_ms})


if __name__ == "__main__":
    main()

"""async-lock.py: Lab 8's Python twin, fixed with an asyncio.Lock and asyncio.to_thread.

The read, the await and the write of the counter happen while the task holds
counter_lock: other tasks still run at the await, but one that wants the counter waits
for the lock (an asyncio.Lock: it suspends the task, not the thread). The blocking call
runs on a worker thread through asyncio.to_thread, so the loop goes on meanwhile.
"""
import asyncio
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

counter = 0  # guarded by counter_lock (made in main_async: it belongs to the running loop)
counter_lock = None


async def io(max_us):
    await asyncio.sleep(random.randint(0, max_us) / 1e6)


async def handle_requests(iterations, max_us):
    global counter
    for _ in range(iterations):
        await io(max_us)  # wait for the next request
        async with counter_lock:  # FIXED: no other task counts until this one is done
            seen = counter
            await io(max_us)
            counter = seen + 1


async def blocking_job(block_ms):
    await asyncio.sleep(0.001)
    # FIXED: the blocking call runs on a worker thread; the loop runs the other tasks
    await asyncio.to_thread(time.sleep, block_ms / 1000)


async def ticker(stop, tick_ms, gaps):
    last = time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(tick_ms / 1000)
        now = time.monotonic()
        gaps.append(now - last)
        last = now


async def main_async(k):
    global counter_lock
    counter_lock = asyncio.Lock()
    stop, gaps = asyncio.Event(), []
    tick = asyncio.create_task(ticker(stop, 1, gaps))
    await asyncio.gather(blocking_job(k.block_ms),
                         *(handle_requests(k.iterations, k.io_us) for _ in range(k.tasks)))
    stop.set()
    await tick
    return max(gaps) * 1000


def main():
    k = kit.knobs("Lab 8 (Python), fixed: the count under an asyncio.Lock, blocking work on a thread.", [
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

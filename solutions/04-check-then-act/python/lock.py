"""lock.py: Lab 4's Python twin, fixed: the check and the act under one threading.Lock.

While a teller holds account_lock, no other teller can check the balance: the one that
saw "enough" pays out before anyone looks again. The wait for the fraud service is inside
the critical section, so tellers now wait in turn: correct, and slower (the cost table).
"""
import pathlib
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

balance = 0  # the account, guarded by account_lock
account_lock = threading.Lock()
amount = 100


def ask_fraud_service():
    """A wait for another service: the GIL is let go, other threads run."""
    time.sleep(0)


def withdraw():
    """Takes amount from the account if it holds enough. Returns True when it paid out."""
    global balance
    with account_lock:  # FIXED: check and act are one step for every other teller
        if balance >= amount:
            ask_fraud_service()
            balance -= amount
            return True
        return False


def teller(paid_out, tid, gate):
    gate.wait()  # all tellers start together, so they compete for the account
    while withdraw():
        paid_out[tid] += amount  # this teller's own total


def main():
    global balance, amount
    k = kit.knobs("Lab 4 (Python), fixed: check and subtract under one lock.", [
        kit.threads_knob(4),
        kit.iterations_knob(500),
        kit.Knob("amount", 100, "money taken by one withdrawal", 1, 1000000),
    ])
    amount = k.amount
    opening = k.threads * k.iterations * amount  # enough for `iterations` each, no more
    balance = opening
    paid_out = [0] * k.threads
    gate = kit.Gate(k.threads)
    tellers = [threading.Thread(target=teller, args=(paid_out, t, gate))
               for t in range(k.threads)]
    start = kit.clock_ns()
    for t in tellers:
        t.start()
    for t in tellers:
        t.join()
    elapsed = kit.clock_ns() - start

    total = sum(paid_out)
    kit.report("paid out", total, opening, total != opening or balance != 0,
               ops=k.threads * k.iterations, work_ns=elapsed,
               metrics={"final_balance": balance})


if __name__ == "__main__":
    main()

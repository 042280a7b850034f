"""check_then_act.py: Lab 4's Python twin, check-then-act.

One bank account and a few tellers (threads). Each teller withdraws the same amount again
and again, as long as the account holds enough:

    if balance >= amount: ...; balance -= amount

Between the check and the act the teller asks a fraud service: a wait, and a wait lets
the GIL go (time.sleep(0) stands for it here, as an HTTP request or a database query
would). Other tellers run meanwhile: two of them can both see "enough" for the last
withdrawal and both pay it out. The GIL keeps `balance -= amount` whole in CPython 3.11,
but not the check and the act together.

Expect: "paid out" above the opening balance in almost every run, the balance below zero.
Run it with `racelab run lab4 --python`; the fixed version is
solutions/04-check-then-act/python/lock.py.
"""
import pathlib
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

balance = 0  # the account, shared by every teller, guarded by nothing
amount = 100


def ask_fraud_service():
    """A wait for another service: the GIL is let go, other threads run."""
    time.sleep(0)


def withdraw():
    """Takes amount from the account if it holds enough. Returns True when it paid out."""
    global balance
    if balance >= amount:  # RACE: check...
        ask_fraud_service()
        balance -= amount  # RACE: ...then act, on a balance that may have changed
        return True
    return False


def teller(paid_out, tid, gate):
    gate.wait()  # all tellers start together, so they compete for the account
    while withdraw():
        paid_out[tid] += amount  # this teller's own total


def main():
    global balance, amount
    k = kit.knobs("Lab 4 (Python): tellers withdraw from one account: check, then subtract.", [
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

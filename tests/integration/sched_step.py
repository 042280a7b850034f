#!/usr/bin/env python3
"""`racelab step` through a pseudo-terminal: the student picks who runs until the program
ends; the session states the goal, refuses a thread that cannot run, and ends with a
schedule id that `racelab replay` reproduces. Usage: sched_step.py RACELAB"""
import os, pty, re, subprocess, sys, time

racelab = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(racelab, [racelab, "step", "lab5"])

buf = b""
def read_until(pattern, timeout=60):
    global buf
    end = time.time() + timeout
    while time.time() < end:
        m = re.search(pattern, buf)
        if m:
            return m
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
    return re.search(pattern, buf)

def fail(why):
    print(why)
    print(buf.decode(errors="replace"))
    sys.exit(1)

if not read_until(rb"goal: make it show its bug \(hang\)"):
    fail("no goal stated")
answered = 0
while True:
    m = read_until(rb"(thread number \(q quits\)> )|(Schedule: (x:[0-9.*]*))")
    if not m:
        fail("no prompt and no end")
    if m.group(3):
        schedule = m.group(3).decode()
        break
    text = buf[:m.end()].decode(errors="replace")
    step = text[text.rfind("who runs next?"):]
    runnable = re.findall(r"^  T(\d+)\s+next:", step, re.M)
    if not runnable:
        fail("no runnable thread offered")
    if answered == 0:
        buf = buf[m.end():]
        os.write(fd, b"99\n")  # no such thread: refused, asked again
        if not read_until(rb"not a thread that can run now"):
            fail("a wrong answer was not refused")
        m = read_until(rb"thread number \(q quits\)> ")
    # Alternate between the runnable threads: the tellers interleave and deadlock.
    pick = runnable[answered % len(runnable)]
    buf = buf[m.end():]
    os.write(fd, pick.encode() + b"\n")
    answered += 1
    if answered > 500:
        fail("too many steps")
read_until(rb"replay it: racelab replay lab5 ")
os.waitpid(pid, 0)
text = buf.decode(errors="replace")
outcome = re.search(r"outcome: (\w[\w ]*)", text)
replayed = subprocess.run([racelab, "replay", "lab5", schedule], capture_output=True, text=True)
if not outcome or ("outcome: " + outcome.group(1)) not in replayed.stdout:
    fail("replay of %s differs:\n%s" % (schedule, replayed.stdout))
print("step: %d answers, %s, replayed the same: %s" % (answered, outcome.group(1), schedule))

"""Unit tests of labkit/python/racelab_kit.py: knobs, the record, the result channel."""
import os
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402


def knob_list():
    return [kit.threads_knob(2), kit.iterations_knob(100),
            kit.Knob("wait-us", 5, "microseconds", 0, 1000)]


class ParseTest(unittest.TestCase):
    def test_defaults(self):
        k = kit.parse(["prog"], "s", knob_list())
        self.assertEqual((k.threads, k.iterations, k.wait_us), (2, 100, 5))

    def test_both_spellings_and_last_wins(self):
        k = kit.parse(["prog", "--threads", "4", "--wait-us=7", "--threads", "3"], "s",
                      knob_list())
        self.assertEqual((k.threads, k.wait_us), (3, 7))

    def test_help_asks_for_usage(self):
        self.assertIsNone(kit.parse(["prog", "--iterations", "5", "--help"], "s",
                                    knob_list()))
        text = kit.usage_text("prog", "Summary.", knob_list())
        self.assertIn("usage: prog [options]\nSummary.\n\noptions:\n", text)
        self.assertIn("  --wait-us    N  microseconds (default 5)\n", text)

    def test_errors_name_the_option(self):
        cases = [(["--threads", "0"], "--threads: must be between 1 and 1024"),
                 (["--threads", "x"], "--threads: expected a whole number"),
                 (["--threads=1.5"], "--threads=1.5: expected a whole number"),
                 (["--fast", "1"], "--fast: unknown option"),
                 (["--threads"], "--threads: needs a value"),
                 (["threads"], "threads: unexpected argument")]
        for args, message in cases:
            with self.assertRaises(kit.UsageError) as caught:
                kit.parse(["/x/prog.py"] + args, "s", knob_list())
            self.assertEqual(str(caught.exception), f"prog.py: {message} (try --help)")


class RecordTest(unittest.TestCase):
    def test_record_is_labkit_format(self):
        text = kit.record("counter", 5, 10, True, ops=10, work_ns=1234,
                          metrics={"io speedup": 2.5})
        self.assertEqual(text, "racelab-result 1\nwhat counter\nobserved 5\nexpected 10\n"
                               "symptom 1\ninconclusive 0\ntiming 0\nops 10\nwork_ns 1234\n"
                               "metric io_speedup 2.5\nend\n")

    def test_numbers_as_percent_17g(self):
        self.assertIn("observed 0.10000000000000001\n", kit.record("x", 0.1, 1, False))

    def test_what_is_one_line_of_at_most_63_bytes(self):
        text = kit.record("a\nb" + "я" * 40, 1, 1, False)
        what = text.splitlines()[1][len("what "):]
        self.assertTrue(what.startswith("a b"))
        self.assertLessEqual(len(what.encode()), 63)
        self.assertEqual(len(what.encode()), 63)  # 3 + 30 two-byte letters, none cut

    def test_at_most_16_metrics(self):
        text = kit.record("x", 1, 1, False, metrics={f"m{i}": i for i in range(20)})
        self.assertEqual(text.count("\nmetric "), 16)

    def test_summary_line(self):
        self.assertEqual(kit.summary_lines("counter", 5, 10, True),
                         "counter: observed 5, expected 10  <-- the bug showed\n")
        self.assertIn("(cannot judge here)", kit.summary_lines("s", 1, 2, False, True))
        self.assertIn("time: 0.002 ms for 2 operations (1000.00 ns each)",
                      kit.summary_lines("s", 1, 1, False, ops=2, work_ns=2000))


class ChannelTest(unittest.TestCase):
    def test_channel_fd(self):
        self.assertEqual(kit.channel_fd({}), -1)
        self.assertEqual(kit.channel_fd({"RACELAB_RESULT_FD": ""}), -1)
        self.assertEqual(kit.channel_fd({"RACELAB_RESULT_FD": "3x"}), -1)
        self.assertEqual(kit.channel_fd({"RACELAB_RESULT_FD": "-1"}), -1)
        self.assertEqual(kit.channel_fd({"RACELAB_RESULT_FD": "3"}), 3)

    def test_report_writes_one_record_on_the_channel(self):
        r, w = os.pipe()
        saved = os.environ.get("RACELAB_RESULT_FD")
        os.environ["RACELAB_RESULT_FD"] = str(w)
        try:
            with open(os.devnull, "w") as quiet:
                stdout, sys.stdout = sys.stdout, quiet
                try:
                    kit.report("counter", 3, 4, True, timing=True)
                finally:
                    sys.stdout = stdout
        finally:
            if saved is None:
                del os.environ["RACELAB_RESULT_FD"]
            else:
                os.environ["RACELAB_RESULT_FD"] = saved
            os.close(w)
        with os.fdopen(r) as f:
            data = f.read()
        self.assertEqual(data.count("racelab-result 1\n"), 1)
        self.assertIn("\nsymptom 1\ninconclusive 0\ntiming 1\n", data)
        self.assertTrue(data.endswith("end\n"))


if __name__ == "__main__":
    unittest.main()

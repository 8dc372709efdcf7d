"""Running an exercise checker in a test: shared by the tests/test_exercises*.py files."""

import warnings

from backprop_lib.exercises import Verdict


def run(checker, fn, capsys):
    """Run a checker with warnings turned into errors (a student sees no numpy warning);
    return (its verdict as a bool, the lines it printed). Nothing may go to stderr, and the
    verdict holds the line the checker printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = checker(fn)
    out = capsys.readouterr()
    assert out.err == ""
    assert isinstance(verdict, Verdict) and out.out.endswith(verdict.line + "\n"), (verdict, out.out)
    return bool(verdict), out.out.strip().splitlines()


def run_one_line(checker, fn, capsys):
    """Like `run`, for a checker that must print exactly one line: (result, that line)."""
    ok, lines = run(checker, fn, capsys)
    assert len(lines) == 1, lines
    return ok, lines[0]

"""The machinery behind every checker: run the student's function, compare, diagnose.

A checker prints exactly one line and returns True only when the function is right.
It never prints the expected answer: a hint names the likely mistake instead.
"""

from typing import Callable, NamedTuple

import numpy as np

NOT_ATTEMPTED = "Not attempted yet: fill in the function above, then run this cell again."


class Case(NamedTuple):
    """One input to try: the arguments, the right answer, and what the input is (for messages)."""
    args: tuple
    expected: object
    about: str = "the worked example"


class Mistake(NamedTuple):
    """A common mistake: `wrong(*args)` is what a function with this mistake returns."""
    hint: str
    wrong: Callable


class Symptom(NamedTuple):
    """A mistake recognised from the output alone: `present(out, *args)` is True when it shows."""
    hint: str
    present: Callable


def _say(ok, name, text):
    print(f"{'Right' if ok else 'Not yet'} ({name}): {text}")
    return ok


def check(fn, name, cases, mistakes=(), symptoms=(), rtol=1e-6, atol=1e-9):
    """Run `fn` on every case; print one line of feedback; return True when all are right."""
    for case in cases:
        args = tuple(np.array(a, dtype=float) if isinstance(a, np.ndarray) else a for a in case.args)
        try:
            out = fn(*args)
        except NotImplementedError:
            print(NOT_ATTEMPTED)
            return False
        except Exception as err:  # the student's bug, reported instead of raised
            return _say(False, name, f"your function raised {type(err).__name__}: {err}")
        if out is None:
            if case is cases[0]:
                print(NOT_ATTEMPTED)
                return False
            return _say(False, name, f"your function returned None on {case.about}; return the result.")
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            return _say(False, name, f"your function returned {type(out).__name__}, not numbers.")
        expected = np.asarray(case.expected, dtype=float)
        if not np.all(np.isfinite(out)):
            for s in symptoms:
                if s.present(out, *case.args):
                    return _say(False, name, s.hint)
            return _say(False, name, f"the result has nan or inf on {case.about}; "
                                     "look for an overflow or a division by zero.")
        if out.shape != expected.shape:
            if out.ndim == 2 and out.shape == expected.shape[::-1]:
                return _say(False, name, f"the result is transposed: it has shape {out.shape}, "
                                         f"it should have shape {expected.shape}.")
            for m in mistakes:
                if np.shape(m.wrong(*case.args)) == out.shape:
                    return _say(False, name, m.hint)
            return _say(False, name, f"the result has shape {out.shape} on {case.about}; "
                                     f"it should have shape {expected.shape}.")
        if np.allclose(out, expected, rtol=rtol, atol=atol):
            continue
        for s in symptoms:
            if s.present(out, *case.args):
                return _say(False, name, s.hint)
        for m in mistakes:
            wrong = np.asarray(m.wrong(*case.args), dtype=float)
            if wrong.shape == out.shape and np.allclose(out, wrong, rtol=rtol, atol=atol):
                return _say(False, name, m.hint)
        return _say(False, name, f"not right on {case.about}; go through the equation "
                                 "term by term on that input.")
    n = len(cases)
    return _say(True, name, f"correct on the worked example and {n - 1} other inputs.")


def random_cases(seed, count, make):
    """`count` cases from `make(rng)`, with a fixed seed so the feedback is reproducible."""
    rng = np.random.default_rng(seed)
    return [make(rng) for _ in range(count)]

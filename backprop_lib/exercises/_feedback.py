"""The machinery behind every checker: run the student's function, compare, diagnose.

A checker prints exactly one line and returns True only when the function is right.
It never prints the expected answer: a hint names the likely mistake instead.

How a wrong answer is diagnosed, on the first input where it is wrong:
nan or inf -> a Symptom that explains it, else a general hint; a wrong shape -> transposed,
else a Mistake that gives that shape, else the shapes; wrong numbers -> a Symptom, else
the Mistake that matches on that input (preferring one that also matches on every other
input, since one input can fit two mistakes: J and J^T are equal when J is symmetric),
else a general hint. A checker lists every mistake it should name (a flipped sign too).
"""

import warnings
from typing import Callable, NamedTuple

import numpy as np

NOT_ATTEMPTED = ("Not attempted yet: fill in the function above (it must return its result), "
                 "then run this cell again.")


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


class _Raised(NamedTuple):
    error: BaseException


def _quietly(f, *args):
    """f(*args) with numpy's overflow warnings silenced: the one line explains a nan better."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args)


def _fresh(args):
    """Copies of the array arguments, so a function that edits its input changes nothing here."""
    return tuple(np.array(a, dtype=float) if isinstance(a, np.ndarray) else a for a in args)


def _run(fn, case):
    """The student's output on one case: a float array, None, a _Raised, or a str (not numbers)."""
    try:
        out = _quietly(fn, *_fresh(case.args))
    except Exception as err:  # the student's bug, reported instead of raised
        return _Raised(err)
    if out is None:
        return None
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return type(out).__name__


def _one_line(err):
    message = " ".join(str(err).split())
    if len(message) > 160:
        message = message[:157] + "..."
    line = f"your function raised {type(err).__name__}" + (f": {message}" if message else "")
    if isinstance(err, OverflowError):
        line += " (a number grew too large: exp of a large logit overflows)"
    return line + "."


def _same(a, b, rtol, atol):
    return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
            and np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _wrong(mistake, case):
    """What a function with `mistake` returns on `case`; None where that mistake is undefined."""
    try:
        out = _quietly(mistake.wrong, *_fresh(case.args))
        return None if out is None else np.asarray(out, dtype=float)
    except Exception:
        return None


def _present(symptom, out, case):
    try:
        return bool(_quietly(symptom.present, out, *case.args))
    except Exception:
        return False


def _matching(mistakes, fn, cases, failing, out, match, rtol, atol):
    """The mistakes that `match` the student's `out` on cases[failing]; those that also agree
    with the student's function on every other case where both give numbers come first."""
    found = [m for m in mistakes if match(_wrong(m, cases[failing]), out)]
    if len(found) < 2:
        return found
    others = {}
    for k, case in enumerate(cases):
        if k != failing:
            other = _run(fn, case)
            if isinstance(other, np.ndarray):
                others[k] = other

    def agrees_everywhere(m):
        for k, other in others.items():
            wrong = _wrong(m, cases[k])
            if wrong is not None and wrong.shape == other.shape and not _same(wrong, other, rtol, atol):
                return False
        return True

    return sorted(found, key=lambda m: not agrees_everywhere(m))


def _diagnose(fn, name, cases, failing, out, mistakes, symptoms, rtol, atol):
    """The one line for a wrong `out` on cases[failing]."""
    case = cases[failing]
    expected = np.asarray(case.expected, dtype=float)
    if not np.all(np.isfinite(out)):
        for s in symptoms:
            if _present(s, out, case):
                return _say(False, name, s.hint)
        same = _matching(mistakes, fn, cases, failing, out, lambda w, o: _same(w, o, rtol, atol), rtol, atol)
        if same:
            return _say(False, name, same[0].hint)
        return _say(False, name, f"the result has nan or inf on {case.about}; "
                                 "look for an overflow or a division by zero.")
    if out.shape != expected.shape:
        same = _matching(mistakes, fn, cases, failing, out, lambda w, o: _same(w, o, rtol, atol), rtol, atol)
        if same:
            return _say(False, name, same[0].hint)
        if out.ndim == 2 and out.shape == expected.shape[::-1]:
            return _say(False, name, f"the result is transposed: it has shape {out.shape}, "
                                     f"it should have shape {expected.shape}.")
        shaped = _matching(mistakes, fn, cases, failing, out,
                           lambda w, o: w is not None and w.shape == o.shape, rtol, atol)
        if shaped:
            return _say(False, name, shaped[0].hint)
        return _say(False, name, f"the result has shape {out.shape} on {case.about}; "
                                 f"it should have shape {expected.shape}.")
    for s in symptoms:
        if _present(s, out, case):
            return _say(False, name, s.hint)
    same = _matching(mistakes, fn, cases, failing, out, lambda w, o: _same(w, o, rtol, atol), rtol, atol)
    if same:
        return _say(False, name, same[0].hint)
    return _say(False, name, f"not right on {case.about}; go through the equation "
                             "term by term on that input.")


def check(fn, name, cases, mistakes=(), symptoms=(), rtol=1e-6, atol=1e-9):
    """Run `fn` on every case; print one line of feedback; return True when all are right.

    `cases[0]` is the worked example: a function that returns None there (or raises
    NotImplementedError anywhere) is the untouched stub, "not attempted yet".
    """
    for k, case in enumerate(cases):
        out = _run(fn, case)
        if isinstance(out, _Raised):
            if isinstance(out.error, NotImplementedError):
                print(NOT_ATTEMPTED)
                return False
            return _say(False, name, _one_line(out.error))
        if out is None:
            if k == 0:
                print(NOT_ATTEMPTED)
                return False
            return _say(False, name, f"your function returned None on {case.about}; return the result.")
        if isinstance(out, str):
            return _say(False, name, f"your function returned {out}, not numbers.")
        expected = np.asarray(case.expected, dtype=float)
        if out.shape == expected.shape and np.all(np.isfinite(out)) \
                and np.allclose(out, expected, rtol=rtol, atol=atol):
            continue
        return _diagnose(fn, name, cases, k, out, mistakes, symptoms, rtol, atol)
    n = len(cases)
    return _say(True, name, f"correct on the worked example and {n - 1} other inputs.")


def random_cases(seed, count, make):
    """`count` cases from `make(rng)`, with a fixed seed so the feedback is reproducible."""
    rng = np.random.default_rng(seed)
    return [make(rng) for _ in range(count)]

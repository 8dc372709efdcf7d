"""The machinery behind every checker: run the student's function, compare, diagnose.

A checker prints exactly one line and returns True only when the function is right.
It never prints the expected answer: a hint names the likely mistake instead.

How a wrong answer is diagnosed, on the first input where it is wrong:
nan or inf -> a Symptom that explains it, else a general hint; a wrong shape -> transposed,
else a Mistake that gives that shape, else the shapes; wrong numbers -> a Symptom, else
the Mistake that matches on that input (preferring one that also matches on every other
input, since one input can fit two mistakes: J and J^T are equal when J is symmetric),
else, when it is right to about 1e-3 (typed, rounded numbers), a hint to compute it,
else a general hint. A checker lists every mistake it should name (a flipped sign too).

An error the function raises is diagnosed too: on another input where the function does
return numbers, or by a Mistake that raises the same error (W.T @ x raises for a 2x3 W).
A function that gives the right result but changes one of its input arrays in place is
told so: the caller's array would change with it.
"""

import inspect
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


def _call(fn, case):
    """(the student's output on one case, the index of an array argument it changed or None).

    The output is a float array, None, a _Raised, or a str (not numbers).
    """
    args = _fresh(case.args)
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    try:
        out = _quietly(fn, *args)
    except Exception as err:  # the student's bug, reported instead of raised
        return _Raised(err), None
    # restoring by arithmetic (a[k] += eps; ...; a[k] -= eps) may leave a last-bit
    # difference; that is not an in-place edit worth a hint
    changed = next((k for k, (a, b) in enumerate(zip(args, before)) if b is not None and
                    (a.shape != b.shape or not np.allclose(a, b, rtol=0, atol=1e-12, equal_nan=True))),
                   None)
    if out is None:
        return None, changed
    try:
        return np.asarray(out, dtype=float), changed
    except (TypeError, ValueError):
        return type(out).__name__, changed


def _run(fn, case):
    """The student's output on one case: a float array, None, a _Raised, or a str (not numbers)."""
    return _call(fn, case)[0]


def _argument_name(fn, k):
    """The name of fn's k-th parameter, for messages; a description where it has none."""
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return params[k].name if k < len(params) else f"argument {k + 1}"


def _changed_hint(fn, k):
    name = _argument_name(fn, k)
    return (f"the result is right, but your function changes its input {name} in place (with -= or "
            f"{name}[...] = ...), so the caller's array changes too; compute a new array instead "
            f"({name} = {name} - ..., not {name} -= ...).")


def _raises_alike(mistake, case, err):
    """Does a function with `mistake` raise the same error as the student's on `case`?"""
    try:
        _quietly(mistake.wrong, *_fresh(case.args))
    except Exception as other:
        return type(other) is type(err) and str(other) == str(err)
    return False


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
    # the listed mistakes that give exactly the student's output on this input
    same = _matching(mistakes, fn, cases, failing, out, lambda w, o: _same(w, o, rtol, atol), rtol, atol)
    if not np.all(np.isfinite(out)):
        for s in symptoms:
            if _present(s, out, case):
                return _say(False, name, s.hint)
        if same:
            return _say(False, name, same[0].hint)
        return _say(False, name, f"the result has nan or inf on {case.about}; "
                                 "look for an overflow or a division by zero.")
    if out.shape != expected.shape:
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
    if same:
        return _say(False, name, same[0].hint)
    if np.allclose(out, expected, rtol=1e-3, atol=1e-3):
        # typed-in, rounded numbers: right to about 3 decimals, wrong at the checker's tolerance
        return _say(False, name, f"close but not exact on {case.about}: compute the result, "
                                 "do not type rounded numbers.")
    return _say(False, name, f"not right on {case.about}; go through the equation "
                             "term by term on that input.")


def _diagnose_raised(fn, name, cases, failing, err, mistakes, rtol, atol):
    """The one line for a function that raised `err` on cases[failing]: a mistake seen on another
    input where the function returns numbers, or one that raises the same error; else the error."""
    raised = f"your function raised {type(err).__name__} on {cases[failing].about}"
    for k, case in enumerate(cases):
        out = _run(fn, case)
        if k == failing or not isinstance(out, np.ndarray):
            continue
        expected = np.asarray(case.expected, dtype=float)
        if out.shape == expected.shape and _same(out, expected, rtol, atol):
            continue  # right on this input: a mistake that happens to agree here says nothing
        same = _matching(mistakes, fn, cases, k, out, lambda w, o: _same(w, o, rtol, atol), rtol, atol)
        if same:
            return _say(False, name, f"{raised}; {same[0].hint}")
    alike = [m for m in mistakes if _raises_alike(m, cases[failing], err)]
    if alike:
        return _say(False, name, f"{raised}; {alike[0].hint}")
    return _say(False, name, _one_line(err))


def check(fn, name, cases, mistakes=(), symptoms=(), rtol=1e-6, atol=1e-9):
    """Run `fn` on every case; print one line of feedback; return True when all are right.

    `cases[0]` is the worked example: a function that returns None there (or raises
    NotImplementedError anywhere) is the untouched stub, "not attempted yet".
    """
    for k, case in enumerate(cases):
        out, changed = _call(fn, case)
        if isinstance(out, _Raised):
            if isinstance(out.error, NotImplementedError):
                print(NOT_ATTEMPTED)
                return False
            return _diagnose_raised(fn, name, cases, k, out.error, mistakes, rtol, atol)
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
            if changed is not None:
                return _say(False, name, _changed_hint(fn, changed))
            continue
        return _diagnose(fn, name, cases, k, out, mistakes, symptoms, rtol, atol)
    n = len(cases)
    return _say(True, name, f"correct on the worked example and {n - 1} other inputs.")


def random_cases(seed, count, make):
    """`count` cases from `make(rng)`, with a fixed seed so the feedback is reproducible."""
    rng = np.random.default_rng(seed)
    return [make(rng) for _ in range(count)]

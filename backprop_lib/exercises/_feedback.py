"""The machinery behind every checker: run the student's function, compare, diagnose.

A checker prints exactly one line and returns a `Verdict`, true only when the function is
right. It never prints the expected answer: a hint names the likely mistake instead.

The student's function is run once on every input (a `Case`), on copies of the arrays, and
each run is recorded: what it returned or raised, which input array it changed, which of the
library's own functions for this exercise it called. The first input where the function is
not right is then diagnosed in one fixed order; the first step that applies gives the line:

0. it calls the library's own implementation: the exercise asks the student to write it;
1. it raised: NotImplementedError is the untouched stub; otherwise a mistake seen on another
   input where it returns numbers, or a mistake that raises the same error, else the error;
2. it returned None (on the worked example: the untouched stub), or no numbers at all;
3. it changed one of its input arrays in place (the caller's array would change with it);
4. the shape is wrong: a mistake that gives this output, "transposed", a mistake that gives
   this shape, else the two shapes (for a function that returns several results together,
   such as three gradients, this and the steps below look at the first wrong one);
5. a symptom: a mistake recognised from the output alone (nan for large logits, a sign);
6. the first mistake that gives this output; one that also agrees with the function on every
   other input comes first (one input can fit two mistakes: J and J^T are equal when J is
   symmetric);
7. right to about 1e-3 but not at the checker's tolerance: typed, rounded numbers;
8. a generic line: nan or inf, or "not right" on that input.
"""

import contextlib
import importlib
import inspect
import sys
import warnings
from typing import Callable, NamedTuple

import numpy as np

NOT_ATTEMPTED = ("Not attempted yet: fill in the function above (it must return its result), "
                 "then run this cell again.")

#: np.exp overflows to inf beyond this (log of the largest float, about 709.78); logits
#: larger in size than this break a softmax or log-sum-exp computed without the max shift
EXP_OVERFLOW = float(np.log(np.finfo(float).max))


class Verdict:
    """What a checker returns: true exactly when the function is right.

    Test it with `bool(verdict)`, `if verdict:` or `verdict == True`; never with `is True`
    (a Verdict is not the object True). It shows nothing in Jupyter, so that a checker cell
    ends with its one printed line; `line` holds that line.
    """

    def __init__(self, passed, line):
        self.passed, self.line = bool(passed), line

    def __bool__(self):
        return self.passed

    def __eq__(self, other):
        return self.passed == (other.passed if isinstance(other, Verdict) else other)

    def __hash__(self):
        return hash(self.passed)

    def __repr__(self):
        return f"Verdict({self.passed})"

    def _ipython_display_(self):
        """Nothing: the checker already printed its line."""


class Case(NamedTuple):
    """One input to try: the arguments, the right answer, and what the input is (for messages)."""
    args: tuple
    expected: object
    about: str = "the worked example"


class Mistake:
    """A common mistake: each `wrong(*args)` is what a function with this mistake returns
    (several when the same slip can be written several ways)."""

    def __init__(self, hint, *wrong):
        self.hint, self.wrong = hint, wrong


class Symptom(NamedTuple):
    """A mistake recognised from the output alone: `present(out, *args)` is True when it shows."""
    hint: str
    present: Callable


class Run(NamedTuple):
    """The student's function on one case: `out` is its result as a tuple of float arrays
    (one per part, see `check`), None, the line that says what it returned instead of
    numbers (a str), or the exception it raised; `changed` the index of an input array it
    changed; `called` the library function it handed the work to."""
    out: object
    changed: object = None
    called: object = None


#: each checker's latest Verdict, by the checker's name (see `latest_verdict`)
_latest = {}


def latest_verdict(name):
    """The Verdict that the checker `name` ("check_linear") returned last; a false one when
    it has not run. A graded assignment's hidden test reads it under the checker's cell, so
    that the checker runs once there: the student's function runs, and its line prints, once."""
    return _latest.get(name, Verdict(False, f"{name} has not run."))


def say(ok, name, text):
    """Print the checker's one line; return its Verdict, kept as the checker's latest."""
    line = f"{'Right' if ok else 'Not yet'} ({name}): {text}"
    print(line)
    _latest[name] = Verdict(ok, line)
    return _latest[name]


def not_attempted(name):
    """Print the line for the untouched stub; return its Verdict, kept as the checker's latest."""
    print(NOT_ATTEMPTED)
    _latest[name] = Verdict(False, NOT_ATTEMPTED)
    return _latest[name]


def quietly(f, *args):
    """f(*args) with numpy's overflow warnings silenced: the one line explains a nan better."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args)


def fresh(args):
    """Copies of the array arguments, so a function that edits its input changes nothing here."""
    return tuple(np.array(a, dtype=float) if isinstance(a, np.ndarray) else a for a in args)


# ---- the library's own implementation, watched while the student's function runs -------

def _resolve(name):
    """The library object at a dotted name under backprop_lib ("linear", "autograd.Tensor.backward")."""
    obj = importlib.import_module("backprop_lib")
    for part in name.split("."):
        obj = getattr(obj, part, None)
    return obj


def _in_library(module_name):
    return module_name == "backprop_lib" or module_name.startswith("backprop_lib.")


@contextlib.contextmanager
def watching(library):
    """While active, every call of a library function named in `library` (dotted names under
    backprop_lib) is noted, by name, in the yielded list, however the caller reached it (bl.x,
    an imported name, a dict): a profile hook sees each call's code object. Calls the library
    makes to its own functions do not count; the checker's call of the function it was given
    does (the student passed the library's function itself)."""
    codes = {}
    for name in library:
        code = getattr(_resolve(name), "__code__", None)
        if code is not None:  # None: not in this version of the library
            codes[code] = name
    called = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
            if caller == __name__ or not _in_library(caller):
                called.append(codes[frame.f_code])

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(previous)


# ---- running the student's function ------------------------------------------------------

def as_parts(value, parts):
    """A result as a tuple of float arrays, one per part (one part when `parts` is None); or,
    when it is not that, the line that says what it is instead."""
    several = parts is not None and isinstance(value, (tuple, list))
    arrays = []
    for v in value if several else (value,):
        try:
            arrays.append(np.asarray(v, dtype=float))
        except (TypeError, ValueError):
            return f"your function returned {type(v).__name__}, not numbers."
    if parts is not None and len(arrays) != len(parts):
        return (f"your function returned {'one result' if len(arrays) == 1 else f'{len(arrays)} results'}; "
                f"return the {len(parts)} results ({', '.join(parts)}) together, in that order.")
    return tuple(arrays)


def run(fn, case, library=(), parts=None):
    """The student's function on one case, as a Run; `library` names the library functions
    that would do the exercise's work (see `watching`), `parts` the results it returns
    together (None: a single result)."""
    args = fresh(case.args)
    before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
    with watching(library) as called:
        try:
            out = quietly(fn, *args)
        except Exception as err:  # the student's bug, reported instead of raised
            out = err
    # restoring by arithmetic (a[k] += eps; ...; a[k] -= eps) may leave a last-bit
    # difference; that is not an in-place edit worth a hint
    changed = next((k for k, (a, b) in enumerate(zip(args, before)) if b is not None and
                    (a.shape != b.shape or not np.allclose(a, b, rtol=0, atol=1e-12, equal_nan=True))),
                   None)
    if out is not None and not isinstance(out, Exception):
        out = as_parts(out, parts)
    return Run(out, changed, called[0] if called else None)


def argument_name(fn, k):
    """The name of fn's k-th parameter, for messages; a description where it has none."""
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return params[k].name if k < len(params) else f"argument {k + 1}"


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


def _numbers(run):
    """Did this run return numbers (a tuple of arrays, one per part)?"""
    return isinstance(run.out, tuple)


# ---- the diagnosis, in its fixed order ---------------------------------------------------

class _Diagnosis:
    """The runs of one function on every case, and the one line for the first wrong one.

    Every result is a tuple of parts (one part for most checkers); a wrong result is
    diagnosed on its first wrong part, and lines that do not name it say which it is."""

    def __init__(self, fn, cases, runs, mistakes, symptoms, in_place, parts, rtol, atol):
        self.fn, self.cases, self.runs, self.parts = fn, cases, runs, parts
        self.symptoms, self.in_place, self.rtol, self.atol = symptoms, in_place, rtol, atol
        # every way of writing every mistake, in the checker's order
        self.wrongs = [(m.hint, wrong) for m in mistakes for wrong in m.wrong]
        self.expected = [as_parts(case.expected, parts) for case in cases]
        self._outputs = {}

    def part_right(self, k, p):
        out = self.runs[k].out[p]
        return _same(out, self.expected[k][p], self.rtol, self.atol) and bool(np.all(np.isfinite(out)))

    def right(self, k):
        return _numbers(self.runs[k]) and all(self.part_right(k, p) for p in range(len(self.expected[k])))

    def first_wrong_part(self, k):
        return next(p for p in range(len(self.expected[k])) if not self.part_right(k, p))

    def wrong_output(self, wrong, k):
        """What a function with this mistake returns on cases[k], as parts; None where it is undefined."""
        if (id(wrong), k) not in self._outputs:
            try:
                out = as_parts(quietly(wrong, *fresh(self.cases[k].args)), self.parts)
            except Exception:
                out = None
            self._outputs[id(wrong), k] = out if isinstance(out, tuple) else None
        return self._outputs[id(wrong), k]

    def agrees_elsewhere(self, wrong, k, p):
        """Does the mistake give the function's numbers (part p) on every other case where
        both give numbers of the same shape?"""
        for j, other in enumerate(self.runs):
            theirs = self.wrong_output(wrong, j)
            if (j != k and _numbers(other) and theirs is not None
                    and theirs[p].shape == other.out[p].shape
                    and not _same(theirs[p], other.out[p], self.rtol, self.atol)):
                return False
        return True

    def mistake(self, k, p, match=None):
        """The hint of the first mistake that `match`es (by default: gives exactly) part p of
        the function's output on cases[k], one that agrees on the other cases first; or None."""
        match = match or (lambda wrong, out: _same(wrong, out, self.rtol, self.atol))
        out = self.runs[k].out[p]
        found = [(hint, w) for hint, w in self.wrongs
                 if self.wrong_output(w, k) is not None and match(self.wrong_output(w, k)[p], out)]
        found.sort(key=lambda pair: not self.agrees_elsewhere(pair[1], k, p))
        return found[0][0] if found else None

    def raised(self, k, err):
        """Step 1: a mistake seen on a case where the function returns wrong numbers, or one
        that raises the same error here; else the error itself."""
        for j, other in enumerate(self.runs):
            if j != k and _numbers(other) and not self.right(j):
                hint = self.mistake(j, self.first_wrong_part(j))
                if hint:
                    return f"your function raised {type(err).__name__} on {self.cases[k].about}; {hint}"
        for hint, wrong in self.wrongs:
            try:
                quietly(wrong, *fresh(self.cases[k].args))
            except Exception as other:
                if type(other) is type(err) and str(other) == str(err):
                    return f"your function raised {type(err).__name__} on {self.cases[k].about}; {hint}"
        return _one_line(err)

    def changed(self, k, index):
        """Step 3: an input array changed in place; the checker's own hint for it, if any."""
        if index in self.in_place:
            return self.in_place[index]
        name = argument_name(self.fn, index)
        return (f"{'the result is right, but ' if self.right(k) else ''}your function changes its "
                f"input {name} in place (with -= or {name}[...] = ...), so the caller's array changes "
                f"too; compute a new array instead ({name} = {name} - ..., not {name} -= ...).")

    def shape(self, k, p, result):
        """Step 4: part p of the output has the wrong shape."""
        out, expected, about = self.runs[k].out[p], self.expected[k][p], self.cases[k].about
        hint = self.mistake(k, p)
        if hint:
            return hint
        if out.ndim == 2 and out.shape == expected.shape[::-1]:
            return f"{result} is transposed: it has shape {out.shape}, it should have shape {expected.shape}."
        hint = self.mistake(k, p, lambda wrong, out: wrong.shape == out.shape)
        return hint or f"{result} has shape {out.shape} on {about}; it should have shape {expected.shape}."

    def symptom(self, k):
        """Step 5: the first symptom the output shows (given the result, or all its parts)."""
        out = self.runs[k].out if self.parts else self.runs[k].out[0]
        for s in self.symptoms:
            with contextlib.suppress(Exception):
                if quietly(s.present, out, *self.cases[k].args):
                    return s.hint
        return None

    def line(self, k):
        """The text of the one line for cases[k], the first case the function gets wrong;
        None for the untouched stub."""
        out, changed, about = self.runs[k].out, self.runs[k].changed, self.cases[k].about
        if isinstance(out, Exception):
            return None if isinstance(out, NotImplementedError) else self.raised(k, out)
        if out is None:
            return None if k == 0 else f"your function returned None on {about}; return the result."
        if isinstance(out, str):
            return out
        if changed is not None:
            return self.changed(k, changed)
        p = self.first_wrong_part(k)
        out, expected = out[p], self.expected[k][p]
        result = f"the result {self.parts[p]}" if self.parts else "the result"
        if out.shape != expected.shape:
            return self.shape(k, p, result)
        hint = self.symptom(k) or self.mistake(k, p)
        if hint:
            return hint
        if np.allclose(out, expected, rtol=1e-3, atol=1e-3):
            # typed-in, rounded numbers: right to about 3 decimals, wrong at the checker's tolerance
            return (f"close but not exact on {about}{' in ' + self.parts[p] if self.parts else ''}: "
                    "compute the result, do not type rounded numbers.")
        if not np.all(np.isfinite(out)):
            return f"{result} has nan or inf on {about}; look for an overflow or a division by zero."
        return (f"{'' if not self.parts else self.parts[p] + ' is '}not right on {about}; "
                "go through the equation term by term on that input.")


def check(fn, name, cases, mistakes=(), symptoms=(), rtol=1e-6, atol=1e-9, library=(), in_place=None,
          parts=None):
    """Run `fn` on every case; print one line of feedback; return a Verdict, true when all are right.

    `cases[0]` is the worked example: a function that returns None there (or raises
    NotImplementedError anywhere) is the untouched stub, "not attempted yet".
    `library` names the backprop_lib functions that do the exercise's work (dotted, under
    backprop_lib): a function that calls one is told to write it itself.
    `in_place` maps an argument's position to the hint for a function that changes it.
    `parts` names the results of a function that returns several together, in order
    (each case's `expected` and each mistake's result are then tuples of as many).
    """
    runs = [run(fn, case, library, parts) for case in cases]
    called = next((r.called for r in runs if r.called), None)
    if called:
        return say(False, name, f"your function hands the work to the library's own bl.{called}; "
                                "this exercise asks you to write it yourself.")
    diagnosis = _Diagnosis(fn, cases, runs, mistakes, symptoms, in_place or {}, parts, rtol, atol)
    wrong = next((k for k, r in enumerate(runs) if r.changed is not None or not diagnosis.right(k)), None)
    if wrong is None:
        return say(True, name, f"correct on the worked example and {len(cases) - 1} other inputs.")
    text = diagnosis.line(wrong)
    if text is None:
        return not_attempted(name)
    return say(False, name, text)


def random_cases(seed, count, make):
    """`count` cases from `make(rng)`, with a fixed seed so the feedback is reproducible."""
    rng = np.random.default_rng(seed)
    return [make(rng) for _ in range(count)]

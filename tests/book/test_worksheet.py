"""Worksheets (`make worksheet SEED=n [HIDDEN=1]`, tools/worksheet.py): hand-sized numbers for
every seed, a key whose every number is the library's (and the gradient's), the same bytes for
the same seed. The PDF tests are marked `pdf` (they need TeX; see tests/book/test_pdf.py)."""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_lib as bl

from helpers import ROOT, load_tool

# one worker runs these tests (`make test` runs tests in parallel): the worksheets are written to one folder
pytestmark = pytest.mark.xdist_group("worksheet")

BIN = pathlib.Path(sys.executable).parent


worksheet = load_tool("worksheet")

SEEDS = [0, 1, 7, 42, 2026, 987654321]
NUMBER = re.compile(r"-?\d+\.\d+")


# ------------------------------------------------------------------ an independent oracle

def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def loss_of(given, hidden, **override):
    """The sheet's loss from its numbers, written out here again (not the library's code)."""
    p = {**given, **override}
    z = p["W1"] @ p["x"] + p["b1"]
    if hidden:
        z = p["W2"] @ (1 / (1 + np.exp(-z))) + p["b2"]
    return float(((p["y"] - softmax(z)) ** 2).sum())


def finite_difference(given, hidden, name, eps=1e-6):
    grad = np.zeros_like(given[name])
    for i in np.ndindex(grad.shape):
        up, down = given[name].copy(), given[name].copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (loss_of(given, hidden, **{name: up}) - loss_of(given, hidden, **{name: down})) / (2 * eps)
    return grad


def pre_activations(given, hidden):
    z1 = given["W1"] @ given["x"] + given["b1"]
    if not hidden:
        return [z1], z1
    z2 = given["W2"] @ (1 / (1 + np.exp(-z1))) + given["b2"]
    return [z1, z2], z2


# ------------------------------------------------------------------ hand-sized, every seed

def check_hand_sized(seed, hidden):
    g = worksheet.draw(seed, hidden)
    ranges = {"x": (0.1, 0.9), "W1": (-0.9, 0.9), "b1": (-0.5, 0.5)}
    if hidden:
        ranges.update(W2=(-0.9, 0.9), b2=(-0.5, 0.5))
    for name, (low, high) in ranges.items():
        tenths = g[name] * 10
        assert np.array_equal(tenths, np.round(tenths)), f"seed {seed}: {name} = {g[name]} has >1 decimal"
        assert low <= g[name].min() and g[name].max() <= high, f"seed {seed}: {name} = {g[name]}"
        if name.startswith("W"):
            assert np.all(g[name] != 0), f"seed {seed}: a zero weight in {name}"
    assert set(g["y"]) == {0.0, 1.0} and g["y"][g["target"]] == 1.0
    zs, logits = pre_activations(g, hidden)
    for z in zs:
        assert np.abs(z).max() <= 1.5 + 1e-12, f"seed {seed}: pre-activation {z} leaves [-1.5, 1.5]"
    # z1 of the one-layer sheet has at most two decimals: a product of two one-decimal numbers
    assert np.allclose(zs[0] * 100, np.round(zs[0] * 100), atol=1e-9)
    assert 0.4 - 1e-12 <= abs(logits[0] - logits[1]) <= 2.0 + 1e-12
    exact = softmax(logits)
    rounded = np.round(exact, 1)
    assert round(rounded.max(), 1) in (0.6, 0.7, 0.8, 0.9), f"seed {seed}: rounded softmax {rounded}"
    assert np.argmax(exact) != g["target"] and np.argmax(rounded) != g["target"], \
        f"seed {seed}: the prediction is right"
    return g


@given(seed=st.integers(0, 2**32 - 1), hidden=st.booleans())
def test_every_seed_gives_a_hand_sized_sheet_with_a_wrong_prediction(seed, hidden):
    check_hand_sized(seed, hidden)
    assert worksheet.hand_sized_problems(worksheet.draw(seed, hidden), hidden) == []


def test_many_consecutive_seeds_are_hand_sized_and_differ():
    for hidden in (False, True):
        drawn = [check_hand_sized(seed, hidden) for seed in range(200)]
        distinct = {tuple(np.concatenate([g["x"], g["W1"].ravel(), g["b1"]])) for g in drawn}
        assert len(distinct) == len(drawn), "two seeds drew the same numbers"
        assert {g["target"] for g in drawn} == {0, 1}


def test_the_rule_rejects_what_is_not_hand_sized():
    g = worksheet.draw(7)
    assert worksheet.hand_sized_problems({**g, "x": g["x"] + 0.05})          # two decimals
    assert worksheet.hand_sized_problems({**g, "W1": g["W1"] * 0 + 0.9})     # a logit above 1.5
    flipped = 1 - g["target"]
    assert worksheet.hand_sized_problems({**g, "target": flipped, "y": np.eye(2)[flipped]})  # right
    # the notes' own example: logits differ by 1.27, the prediction "exact" is wrong: hand-sized
    from backprop_lib import example
    notes = {"x": example.x, "W1": example.W1, "b1": example.b1, "y": example.y, "target": 1}
    assert worksheet.hand_sized_problems(notes) == []


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_a_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        worksheet.draw(seed)


# ------------------------------------------------------------------ the key is the library's

def balanced_groups(text, start, count):
    """The next `count` {...} groups of `text` from `start` (braces nest)."""
    groups, i = [], start
    while len(groups) < count:
        i = text.index("{", i)
        depth, j = 0, i
        while True:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        groups.append(text[i + 1:j])
        i = j + 1
    return groups


def key_rows(tex):
    """step name -> (numbers on the notes' track, numbers on the exact track), as printed."""
    rows = {}
    for match in re.finditer(r"\\keystep(?=\{)", tex):
        name, _, notes, exact = balanced_groups(tex, match.end(), 4)
        rows[name] = (NUMBER.findall(notes), NUMBER.findall(exact))
    return rows


def as_printed(value):
    return [bl.fmt(v, 4) for v in np.ravel(value)]


def library(g, hidden, decimals):
    numbers = {k: g[k] for k in ("x", "W1", "b1", "y")}
    if hidden:
        return bl.worked_example_hidden(decimals, W2=g["W2"], b2=g["b2"], **numbers)
    return bl.worked_example(decimals, **numbers)


@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden"])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_number_of_the_key_is_the_library_s(seed, hidden):
    g = worksheet.draw(seed, hidden)
    rows = key_rows(worksheet.key_tex(seed, hidden))
    steps = bl.HIDDEN_STEPS if hidden else bl.STEPS
    assert list(rows) == [k for k in steps if k in rows] and set(rows) == set(steps), \
        f"the key's steps {list(rows)} are not the library's {steps}"
    notes, exact = library(g, hidden, 1), library(g, hidden, None)
    for name, (printed_notes, printed_exact) in rows.items():
        assert printed_notes == as_printed(notes[name]), f"seed {seed}, {name}, the notes' track"
        assert printed_exact == as_printed(exact[name]), f"seed {seed}, {name}, exact"


@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden"])
@pytest.mark.parametrize("seed", SEEDS[:3])
def test_the_key_s_exact_gradients_are_the_gradients(seed, hidden):
    g = worksheet.draw(seed, hidden)
    rows = key_rows(worksheet.key_tex(seed, hidden))
    params = ["W1", "b1", "W2", "b2"] if hidden else ["W1", "b1"]
    for name in params:
        printed = np.array([float(v) for v in rows[f"dL_d{name}"][1]])
        assert np.allclose(printed, finite_difference(g, hidden, name).ravel(), atol=6e-5), name
    assert float(rows["loss"][1][0]) == pytest.approx(loss_of(g, hidden), abs=6e-5)


@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden"])
def test_the_sheet_gives_the_drawn_numbers_and_asks_every_step_without_answers(hidden):
    seed = 7
    g = worksheet.draw(seed, hidden)
    sheet, key = worksheet.sheet_tex(seed, hidden), worksheet.key_tex(seed, hidden)
    for name in ("x", "W1", "b1", "y") + (("W2", "b2") if hidden else ()):
        assert bl.latex(g[name], 1) in sheet and bl.latex(g[name], 1) in key, name
    steps = bl.HIDDEN_STEPS if hidden else bl.STEPS
    assert sheet.count(r"\item ") == len(steps)
    answers = {n for name, (notes, exact) in key_rows(key).items() for n in notes + exact
               if name not in ("Wx", "z1")}
    given_text = "".join(bl.latex(g[k], 1) for k in g if k != "target")
    leaked = [n for n in answers if n in sheet and n not in given_text]
    assert not leaked, f"the sheet prints answers: {leaked}"


def test_same_seed_same_latex_across_processes(tmp_path):
    outs = []
    for run in ("a", "b"):
        subprocess.run([sys.executable, "tools/worksheet.py", "--seed", "7", "--tex-only",
                        "--out", str(tmp_path / run)], cwd=ROOT, check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": {"a": "1", "b": "2"}[run]})
        outs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run / "tex").iterdir())})
    assert outs[0] == outs[1] and set(outs[0]) == {"seed-7.tex", "seed-7-key.tex"}
    assert worksheet.sheet_tex(8) != worksheet.sheet_tex(7)


# ------------------------------------------------------------------ the PDFs (TeX)

def require_tex():
    missing = [tool for tool in ("pdflatex", "pdftotext") if shutil.which(tool) is None]
    if missing:
        message = f"the worksheets need {', '.join(missing)}: `make worksheet` installs them as root"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message + " (CI=true: the PDF tests may not skip)", pytrace=False)
        pytest.skip(message)


def make_worksheet(*variables):
    require_tex()
    result = subprocess.run(["make", "--no-print-directory", "worksheet", "READY=", f"BIN={BIN}", *variables],
                            cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def pdftotext(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.pdf
@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden"])
def test_make_worksheet_writes_the_sheet_and_its_key_the_same_every_time(hidden):
    seed = 7
    variables = [f"SEED={seed}"] + (["HIDDEN=1"] if hidden else [])
    out = ROOT / "_build" / "worksheets"
    name = f"seed-{seed}" + ("-hidden" if hidden else "")
    sheet, key = out / f"{name}.pdf", out / f"{name}-key.pdf"
    make_worksheet(*variables)
    first = sheet.read_bytes(), key.read_bytes()
    make_worksheet(*variables)
    assert (sheet.read_bytes(), key.read_bytes()) == first, "the same seed gave other bytes"

    g = worksheet.draw(seed, hidden)
    exact = library(g, hidden, None)
    sheet_text, key_text = pdftotext(sheet), pdftotext(key)
    loss = bl.fmt(exact["loss"], 4)
    assert loss in key_text and loss not in sheet_text
    assert "wrong" in key_text
    for text in (sheet_text, key_text):
        assert f"seed {seed}" in text and "??" not in text
    # every exact number of the key is printed (pdftotext writes the minus as U+2212)
    printed = set(NUMBER.findall(key_text.replace("\u2212", "-")))
    for step, value in exact.items():
        missing = [v for v in as_printed(value) if v not in printed]
        assert not missing, f"{step}: {missing} not in the key's PDF"


def test_make_worksheet_without_a_seed_says_how():
    result = subprocess.run(["make", "--no-print-directory", "worksheet", "READY=", f"BIN={BIN}", "SEED="],
                            cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode != 0 and "SEED=7" in result.stdout + result.stderr

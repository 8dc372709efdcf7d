"""The page "Play with the network" (explore.md, explorable/explorable.js) in Chromium.

Random values go in through the page's own inputs; every number the page then shows
(each element with `data-output`, in the table and on the figure) is compared with
backprop_lib to 1e-9 relative, for both losses, with and without the hidden layer. The
nudge, the gradient-descent step, the step-through, the reset and the keyboard are
checked the same way, and the page's script is on that page only.

The page contract: every input carries data-input="NAME" (x[0], W1[1][2], b1[0], W2[i][j],
b2[i], target, loss-kind, hidden-layer, ...); every number data-output="NAME" and its
full-precision value in data-value.
"""

import re

import numpy as np
import pytest

import backprop_lib as bl
from site_browser import Visit

PAGE = "explore.html"
RTOL = 1e-9
ATOL = 1e-15
SHAPES = {"x": (3,), "W1": (2, 3), "b1": (2,), "W2": (2, 2), "b2": (2,)}
# what each layout must show, by name (the page contract, plus J, sigma'(z1) and delta2)
ONE_LAYER = ["z1", "y_hat", "loss", "dL_dy_hat", "J", "dL_dz1", "dL_db1", "dL_dW1"]
HIDDEN = ONE_LAYER + ["h", "dh_dz1", "z2", "dL_dz2", "dL_dW2", "dL_db2", "dL_dh"]
CHAIN = {False: ["loss", "dL_dy_hat", "J", "dL_dz1", "dL_db1", "dL_dW1"],
         True: ["loss", "dL_dy_hat", "J", "dL_dz2", "dL_db2", "dL_dW2", "dL_dh", "dL_dz1", "dL_db1", "dL_dW1"]}


# ---------------------------------------------------------------- the page's side

@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    visit = Visit(context, server)
    visit.open(PAGE)
    visit.page.locator("#explorable [data-output='loss']").first.wait_for()
    yield visit.page
    problems = visit.blocked + visit.failed + visit.unexpected_errors()
    context.close()
    assert not problems, f"the page needed the network or raised: {problems}"


def entries(name):
    """'W1' -> ['W1[0][0]', ..., 'W1[1][2]'] in row-major order."""
    return [name + "".join(f"[{i}]" for i in index) for index in np.ndindex(*SHAPES[name])]


def number_field(page, name):
    return page.locator(f"input[type=number][data-input='{name}']")


def set_values(page, **arrays):
    """Type each entry into its number field, as a reader would."""
    for name, values in arrays.items():
        for entry, value in zip(entries(name), np.asarray(values, dtype=float).ravel()):
            number_field(page, entry).fill(repr(float(value)))


def read_inputs(page, name):
    values = [float(number_field(page, entry).input_value()) for entry in entries(name)]
    return np.array(values).reshape(SHAPES[name])


def set_choices(page, target=None, loss=None, hidden=None):
    if target is not None:
        page.locator("[data-input='target']").select_option(str(target))
    if loss is not None:
        page.locator("[data-input='loss-kind']").select_option(loss)
    if hidden is not None:
        page.locator("[data-input='hidden-layer']").set_checked(hidden)


JS_OUTPUTS = """() => [...document.querySelectorAll('#explorable [data-output]')]
    .filter(e => e.checkVisibility ? e.checkVisibility() || e.closest('svg') : true)
    .map(e => [e.dataset.output, e.dataset.value, e.textContent])"""


def shown(page):
    """{name: [(value, text), ...]}: every visible number, each place it is shown."""
    out = {}
    for name, value, text in page.evaluate(JS_OUTPUTS):
        out.setdefault(name, []).append((float(value), text))
    return out


def parse_shown(text):
    """'∂ −0.5346' -> (-0.5346, 4 decimals); '∞' -> inf."""
    text = text.replace("\u2212", "-").replace("\u2202", "").strip()
    if text.lstrip("-") == "\u221e":
        return float(text.replace("\u221e", "inf")), 0
    match = re.fullmatch(r"-?\d+(?:\.(\d+))?", text)
    assert match, f"not a number: {text!r}"
    return float(text), len(match.group(1) or "")


# ---------------------------------------------------------------- the library's side

def one_hot(target):
    return np.eye(2)[target]


def expected(values, target, loss, hidden, nudge=None):
    """{name: value} for every number the page shows, from backprop_lib."""
    x, W1, b1, W2, b2 = (np.asarray(values[k], dtype=float) for k in ("x", "W1", "b1", "W2", "b2"))
    y = one_hot(target)
    out = {"x": x, "b1": b1}
    if not hidden:
        g = bl.backward(W1, b1, x, y, loss)
        f = bl.forward(W1, b1, x)
        out.update(z1=f.z1, y_hat=f.z2, loss=g.loss, dL_dy_hat=g.y_hat, J=bl.softmax_jacobian(f.z1),
                   dL_dz1=g.z1, dL_db1=g.b1, dL_dW1=g.W1)
    else:
        params = [(W1, b1), (W2, b2)]
        f = bl.mlp_forward(params, x, activation="sigmoid")
        g = bl.mlp_backward(params, x, y, activation="sigmoid", loss=loss)
        h = f.a[1]
        loss_grad = bl.squared_error_grad if loss == "squared_error" else bl.cross_entropy_grad
        out.update(b2=b2, z1=f.z[0], h=h, dh_dz1=h * (1 - h), z2=f.z[1], y_hat=f.y_hat, loss=g.loss,
                   dL_dy_hat=loss_grad(y, f.y_hat), J=bl.softmax_jacobian(f.z[1]), dL_dz2=g.z[1],
                   dL_db2=g.params[1][1], dL_dW2=g.params[1][0], dL_dh=W2.T @ g.z[1],
                   dL_dz1=g.z[0], dL_db1=g.params[0][1], dL_dW1=g.params[0][0])
    if nudge is not None:
        name, delta = nudge
        moved = {k: np.array(v, dtype=float) for k, v in values.items()}
        key, index = name.split("[", 1)
        index = tuple(int(i) for i in re.findall(r"\d+", index))
        moved[key][index] += delta
        gradient = out["dL_d" + key][index]
        after = expected(moved, target, loss, hidden)["loss"]
        out.update({"nudge-gradient": gradient, "nudge-loss": after,
                    "nudge-predicted": out["loss"] + gradient * delta,
                    "nudge-error": after - (out["loss"] + gradient * delta)})
    flat = {}
    for name, value in out.items():
        value = np.asarray(value, dtype=float)
        if value.ndim == 0:
            flat[name] = float(value)
        else:
            for index in np.ndindex(*value.shape):
                flat[name + "".join(f"[{i}]" for i in index)] = float(value[index])
    return flat


def compare(page, want):
    """Every number on the page against `want`; returns the problems found."""
    got = shown(page)
    problems = []
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    if missing:
        problems.append(f"not shown: {missing}")
    if extra:
        problems.append(f"shown but not expected here: {extra}")
    for name in sorted(set(want) & set(got)):
        for value, text in got[name]:
            if not np.isclose(value, want[name], rtol=RTOL, atol=ATOL):
                problems.append(f"{name}: page {value!r}, backprop_lib {want[name]!r}")
            number, decimals = parse_shown(text)
            if abs(number - value) > 0.5 * 10.0 ** -decimals * (1 + 1e-9):
                problems.append(f"{name}: shows {text!r} for {value!r}")
    return problems


def page_state(page, hidden):
    values = {name: read_inputs(page, name) for name in ("x", "W1", "b1")}
    values["W2"] = read_inputs(page, "W2") if hidden else np.asarray(bl.example.W2)
    values["b2"] = read_inputs(page, "b2") if hidden else np.asarray(bl.example.b2)
    nudge = (page.locator("[data-input='nudge-param']").input_value(),
             float(number_field(page, "nudge-delta").input_value()))
    return values, nudge


def random_values(rng):
    return {"x": rng.uniform(-2, 2, 3), "W1": rng.uniform(-3, 3, (2, 3)), "b1": rng.uniform(-3, 3, 2),
            "W2": rng.uniform(-3, 3, (2, 2)), "b2": rng.uniform(-3, 3, 2)}


# ---------------------------------------------------------------- the tests

def test_the_page_starts_at_the_notes_values(page):
    """The inputs hold backprop_lib.example, and the numbers are the notes' exact track."""
    for name in ("x", "W1", "b1"):
        assert np.array_equal(read_inputs(page, name), getattr(bl.example, name)), name
    assert page.locator("[data-input='target']").input_value() == str(int(np.argmax(bl.example.y)))
    assert page.locator("[data-input='loss-kind']").input_value() == "squared_error"
    assert not page.locator("[data-input='hidden-layer']").is_checked()
    values, nudge = page_state(page, hidden=False)
    assert not compare(page, expected(values, 1, "squared_error", False, nudge))
    w = bl.worked_example()
    got = shown(page)
    assert got["loss"][0][0] == pytest.approx(w["loss"], rel=RTOL)
    assert [got[f"dL_dW1[0][{j}]"][0][0] for j in range(3)] == pytest.approx(w["dL_dW1"][0], rel=RTOL)


@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden-layer"])
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_every_number_matches_backprop_lib(page, loss, hidden):
    """Random x, W1, b1 (W2, b2) and target, typed into the page: every number shown,
    in the table and on the figure, is backprop_lib's to 1e-9 relative."""
    rng = np.random.default_rng([7, hidden, loss == "cross_entropy"])
    set_choices(page, loss=loss, hidden=hidden)
    if hidden:
        # the hidden layer's example first: the numbers of the chapter's table
        values, nudge = page_state(page, hidden)
        problems = compare(page, expected(values, 1, loss, hidden, nudge))
        assert not problems, "hidden-layer example:\n  " + "\n  ".join(problems)
    for trial in range(3):
        values = random_values(rng)
        target = int(rng.integers(2))
        set_values(page, **{k: v for k, v in values.items() if hidden or k in ("x", "W1", "b1")})
        set_choices(page, target=target)
        values, nudge = page_state(page, hidden)
        problems = compare(page, expected(values, target, loss, hidden, nudge))
        assert not problems, f"trial {trial}, {loss}, hidden={hidden}:\n  " + "\n  ".join(problems)
    # with the hidden layer on, exactly its numbers are shown; off again, exactly the notes' ones
    names = {re.sub(r"\[.*", "", n) for n in shown(page)}
    assert set(HIDDEN if hidden else ONE_LAYER) <= names


def test_hidden_layer_example_is_the_design_example(page):
    """The toggle adds W2 and b2 with backprop_lib.example's values."""
    assert not page.locator("input[data-input='W2[0][0]']").first.is_visible()
    set_choices(page, hidden=True)
    assert np.array_equal(read_inputs(page, "W2"), bl.example.W2)
    assert np.array_equal(read_inputs(page, "b2"), bl.example.b2)
    for name in HIDDEN:
        assert page.locator(f"[data-output^='{name}']").count() >= 1, f"{name} not shown"
    set_choices(page, hidden=False)
    assert page.locator("[data-output^='h[']").count() == 0
    assert not page.locator("input[data-input='W2[0][0]']").first.is_visible()


@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden-layer"])
def test_nudge_compares_the_new_loss_with_the_gradients_prediction(page, hidden):
    set_choices(page, hidden=hidden, loss="cross_entropy")
    names = page.locator("[data-input='nudge-param'] option").evaluate_all("os => os.map(o => o.value)")
    assert names == (entries("W1") + entries("b1") + (entries("W2") + entries("b2") if hidden else []))
    for name, delta in [(names[1], 0.1), (names[-1], -0.003)]:
        page.locator("[data-input='nudge-param']").select_option(name)
        number_field(page, "nudge-delta").fill(repr(delta))
        values, nudge = page_state(page, hidden)
        assert nudge == (name, delta)
        want = expected(values, 1, "cross_entropy", hidden, nudge)
        assert not compare(page, want)
        # the prediction is first order: its error shrinks like delta squared
        assert abs(want["nudge-error"]) < 10 * delta ** 2
    # "make this change" moves that one entry by delta
    before = read_inputs(page, "b2" if hidden else "b1")
    page.locator("[data-action='nudge']").click()
    after = read_inputs(page, "b2" if hidden else "b1")
    assert after[-1] == pytest.approx(before[-1] - 0.003, rel=RTOL) and after[0] == before[0]


@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden-layer"])
def test_one_step_of_gradient_descent(page, hidden):
    """theta <- theta - eta dL/dtheta for every weight and bias; the loss falls."""
    set_choices(page, hidden=hidden)
    number_field(page, "learning-rate").fill("0.3")
    values, _ = page_state(page, hidden)
    want = expected(values, 1, "squared_error", hidden)
    page.locator("[data-action='step']").click()
    layers = ["W1", "b1"] + (["W2", "b2"] if hidden else [])
    for name in layers:
        gradient = np.array([want[f"dL_d{e}"] for e in entries(name)]).reshape(SHAPES[name])
        np.testing.assert_allclose(read_inputs(page, name), values[name] - 0.3 * gradient, rtol=RTOL)
    np.testing.assert_array_equal(read_inputs(page, "x"), values["x"])  # the input is data, not a weight
    got = shown(page)
    assert got["step-loss-before"][0][0] == pytest.approx(want["loss"], rel=RTOL)
    assert got["step-loss-after"][0][0] < got["step-loss-before"][0][0]
    assert got["loss"][0][0] == pytest.approx(got["step-loss-after"][0][0], rel=RTOL)


@pytest.mark.parametrize("hidden", [False, True], ids=["one-layer", "hidden-layer"])
def test_step_through_walks_the_chain_from_the_loss_back(page, hidden):
    """By keyboard: each step marks its row and its place on the figure, in the chain's order."""
    set_choices(page, hidden=hidden)
    walk = page.locator("[data-result='walk']")
    page.locator("[data-action='walk-start']").focus()
    page.keyboard.press("Enter")
    steps = [walk.get_attribute("data-step")]
    next_button = page.locator("[data-action='walk-next']")
    while next_button.is_enabled():
        next_button.focus()
        page.keyboard.press("Enter")
        steps.append(walk.get_attribute("data-step"))
        marked = page.locator(".is-current").evaluate_all("es => es.map(e => e.dataset.node)")
        assert marked and set(marked) == {steps[-1]}, (steps[-1], marked)
        assert page.locator(f"tr.is-current[data-node='{steps[-1]}']").count() == 1
    assert steps == CHAIN[hidden]
    page.locator("[data-action='walk-prev']").click()
    assert walk.get_attribute("data-step") == CHAIN[hidden][-2]
    page.locator("[data-action='walk-stop']").click()
    assert walk.get_attribute("data-step") is None and page.locator(".is-current").count() == 0


def test_reset_restores_the_notes_values(page):
    set_values(page, x=[1, 2, 3], b1=[-1, 1])
    set_choices(page, target=0, loss="cross_entropy")
    page.locator("[data-action='step']").click()
    page.locator("[data-action='reset']").click()
    for name in ("x", "W1", "b1"):
        assert np.array_equal(read_inputs(page, name), getattr(bl.example, name)), name
    assert page.locator("[data-input='target']").input_value() == "1"
    assert page.locator("[data-input='loss-kind']").input_value() == "squared_error"
    assert shown(page)["loss"][0][0] == pytest.approx(bl.worked_example()["loss"], rel=RTOL)


def test_sliders_and_toggle_work_by_keyboard(page):
    """Tab to a slider, move it with the arrow keys; the number field and the numbers follow.
    Every input has an accessible name."""
    slider = page.locator("input[type=range][data-input='x[2]']")
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert float(number_field(page, "x[2]").input_value()) == pytest.approx(0.91)
    values, nudge = page_state(page, False)
    assert not compare(page, expected(values, 1, "squared_error", False, nudge))
    page.locator("[data-input='hidden-layer']").focus()
    page.keyboard.press("Space")
    assert page.locator("[data-input='hidden-layer']").is_checked()
    assert page.locator("[data-output='h[0]']").count() >= 1
    unnamed = page.evaluate("""() => [...document.querySelectorAll('#explorable input, #explorable select, #explorable button')]
        .filter(e => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim()))
        .map(e => e.outerHTML.slice(0, 80))""")
    assert not unnamed, f"controls without a name: {unnamed}"


def test_script_is_loaded_on_that_page_only(site):
    """explorable.js is in the site, on explore.html, and on no other page; and nothing
    under the book's own _static/ is a script (Jupyter Book would add it to every page)."""
    assert (site / "_static" / "explorable" / "explorable.js").is_file()
    pages = [p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts]
    using = sorted(str(p.relative_to(site)) for p in pages if "explorable.js" in p.read_text())
    assert using == ["explore.html"]
    root = site.parent.parent
    assert not list((root / "_static").rglob("*.js"))

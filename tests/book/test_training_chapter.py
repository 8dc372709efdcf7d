"""The numbers the chapter "Training" states: read from what it glued into the committed
notebook, then recomputed with the library from the settings it glued as well."""

import math

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.data import RULE, make_colours
from backprop_lib.training import accuracy, predict, steps_until_right, train
from helpers import ROOT
from helpers import glued as glued_values

# Balanced classes make 0.5 the accuracy of guessing. The labels disagree with the
# noise-free rule on a few percent of the samples, so the rule itself stays below 1
# (the chapter glues its test accuracy). 0.9 demands that training closed most of the
# gap from chance to the rule, with room for the few noisy labels near the boundary.
MIN_TEST_ACCURACY = 0.9


@pytest.fixture(scope="module")
def glued():
    """name -> value for every number glued in chapters/07_training.ipynb."""
    return glued_values(ROOT / "chapters" / "07_training.ipynb")


def chapter_data(glued):
    X, Y = make_colours(glued["tr_n"], seed=glued["tr_data_seed"], noise=glued["tr_noise"])
    n = glued["tr_n_train"]
    return X[:n], Y[:n], X[n:], Y[n:]


def test_chapter_test_accuracy_is_reached(glued):
    X_train, Y_train, X_test, Y_test = chapter_data(glued)
    result = train(bl.example.W1, bl.example.b1, X_train, Y_train, lr=glued["tr_lr"],
                   steps=glued["tr_steps"], batch_size=glued["tr_batch_size"], seed=glued["tr_seed"])
    test_accuracy = accuracy(result.W1, result.b1, X_test, Y_test)
    assert math.isclose(test_accuracy, glued["tr_test_accuracy"], abs_tol=1e-12)
    assert math.isclose(accuracy(result.W1, result.b1, X_train, Y_train), glued["tr_train_accuracy"],
                        abs_tol=1e-12)
    assert test_accuracy >= MIN_TEST_ACCURACY
    # training did the work: the notes' weights are at chance level on the same test set
    assert glued["tr_start_accuracy"] == pytest.approx(accuracy(bl.example.W1, bl.example.b1, X_test, Y_test))
    assert glued["tr_start_accuracy"] < 0.6


def test_chapter_rule_accuracy(glued):
    _, _, X_test, Y_test = chapter_data(glued)
    rule = np.mean((X_test @ RULE > 0) == (Y_test[:, 1] == 1))
    assert glued["tr_rule_test_accuracy"] == pytest.approx(rule)
    assert glued["tr_test_accuracy"] >= rule - 0.05  # the network gets close to the rule


def test_chapter_network_ahead_of_the_rule_by_chance_only(glued):
    """The chapter says the network beats the noise-free rule by tr_beats_rule test samples,
    which is chance: the count must match the two accuracies and stay a sample or two."""
    n_test = glued["tr_n_test"]
    ahead = (glued["tr_test_accuracy"] - glued["tr_rule_test_accuracy"]) * n_test
    assert glued["tr_beats_rule"] == pytest.approx(ahead, abs=1e-9)
    assert 1 <= glued["tr_beats_rule"] <= 2


@pytest.mark.parametrize("k", [0, 1, 2])
def test_chapter_steps_until_right_on_the_example(glued, k):
    x, y = bl.example.x, bl.example.y
    result = train(bl.example.W1, bl.example.b1, x, y, lr=glued[f"tr_lr_{k}"], steps=glued["tr_example_steps"])
    t = steps_until_right(result.history, x, y)
    assert t == glued[f"tr_steps_right_{k}"]
    # t is the first step with the right prediction: wrong ("exact") one step before
    assert t >= 1
    assert predict(result.history.W1[t], result.history.b1[t], x) == 1
    assert predict(result.history.W1[t - 1], result.history.b1[t - 1], x) == 0


def test_chapter_larger_rates_are_faster_on_the_example(glued):
    steps = [glued[f"tr_steps_right_{k}"] for k in range(3)]
    rates = [glued[f"tr_lr_{k}"] for k in range(3)]
    assert rates == sorted(rates) and steps == sorted(steps, reverse=True)

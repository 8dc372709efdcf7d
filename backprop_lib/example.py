"""The worked example of the lecture notes: one input, one target, one layer.

The arrays are read-only, so a chapter cannot change the example by accident
(``x[0] = 1`` raises ``ValueError: assignment destination is read-only``).
"""

import numpy as np


def _frozen(values):
    a = np.array(values, dtype=float)
    a.flags.writeable = False
    return a


#: input features, labelled by INPUT_LABELS
x = _frozen([0.3, 0.3, 0.9])
#: target, one-hot over OUTPUT_LABELS: the sample belongs to class "test"
y = _frozen([0.0, 1.0])
#: weights of the layer, shape (2, 3): one row per output, one column per input
W1 = _frozen([[0.2, 0.4, 0.9],
              [0.1, -0.2, -0.5]])
#: bias of the layer, one per output
b1 = _frozen([0.0, 0.2])

INPUT_LABELS = ("green", "yellow", "red")
OUTPUT_LABELS = ("exact", "test")

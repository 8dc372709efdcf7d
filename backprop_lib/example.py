"""The worked example of the lecture notes (one layer), and the hidden layer the book adds.

The arrays are read-only, so a chapter cannot change the example by accident
(``x[0] = 1`` raises ``ValueError: assignment destination is read-only``).
"""

from ._checks import frozen

#: input features, labelled by INPUT_LABELS
x = frozen([0.3, 0.3, 0.9])
#: target, one-hot over OUTPUT_LABELS: the sample belongs to class "test"
y = frozen([0.0, 1.0])
#: weights of the layer, shape (2, 3): one row per output, one column per input
W1 = frozen([[0.2, 0.4, 0.9],
             [0.1, -0.2, -0.5]])
#: bias of the layer, one per output
b1 = frozen([0.0, 0.2])

# The hidden-layer example (part "Backprop through depth"): W1, b1 above become the
# first layer, h = sigmoid(z1) its output, and a second layer z2 = W2 h + b2 follows.
#: weights of the second layer, shape (2, 2)
W2 = frozen([[0.6, -0.3],
             [-0.2, 0.7]])
#: bias of the second layer
b2 = frozen([0.1, -0.1])

INPUT_LABELS = ("green", "yellow", "red")
OUTPUT_LABELS = ("exact", "test")

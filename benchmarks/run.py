"""`make bench`: every benchmark of the project, one after the other.

    gradients.py   time per gradient evaluation: backprop_lib vs autograd engines
    mlp.py         the same for a 64-64-10 network: mlp_backward vs autograd engines
    site.py        clean build time of the book, the rebuild after editing one chapter,
                   and the bytes each page loads
    suite.py       `make test` from a fresh clone, and its slowest tests

Results, and the machine they ran on, are recorded in benchmarks/README.md.
"""

import pathlib
import runpy
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the benchmarks share timing.py

for name in sys.argv[1:] or ["gradients", "mlp", "site", "suite"]:
    print(f"\n=== {name} ===", flush=True)
    runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")

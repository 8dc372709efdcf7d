# Backprop by hand. A newcomer needs two targets: `make book` and `make test`.
# Both create .venv (with python3 >= 3.10) and install what they need when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
JB     := $(BIN)/jupyter-book
PORT   ?= 8000
# what `make serve` serves; SITE=_build/student/_build/html serves the student site
SITE   ?= _build/html
# what `make notebooks` re-executes; NB=chapters/01_forward_pass.ipynb does one chapter
NB     ?=
# where `make book-student` builds: the site lands in $(STUDENT)/_build/html
STUDENT ?= _build/student
# STUDENT_OPTIONS=--stored-outputs: show the committed outputs instead of re-running the chapters
STUDENT_OPTIONS ?=
# the strict build CI runs: nitpicky, warnings are errors, and every page is rebuilt
STRICT := build --all -n -W --keep-going

.PHONY: help setup book book-student test serve lab bench notebooks clean distclean

help:
	@echo "make book          set up .venv and build the site into _build/html"
	@echo "make test          set up .venv and run every test (library, notebooks, book, site)"
	@echo "make serve         serve _build/html on http://127.0.0.1:$(PORT) (SITE=... for another build)"
	@echo "make book-student  build the site without solutions into _build/student/_build/html"
	@echo "make lab           open the chapters in JupyterLab (installed into .venv on first use)"
	@echo "make notebooks     re-execute every chapter in place (NB=chapters/NN_x.ipynb for one)"
	@echo "make bench         benchmarks: gradient speed, build and rebuild time, page weight, test time"
	@echo "make clean         remove the builds"
	@echo "make distclean     remove the builds and .venv"

$(READY): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python >= 3.10 is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt -e .
	touch $@

setup: $(READY)

book: $(READY)
	$(JB) $(STRICT) .
	@echo
	@echo "The book is in _build/html: open _build/html/index.html, or run 'make serve'."

# the same book with hide_solutions: true, from a copy of _config.yml; the copy sits beside
# _config.yml because paths in it (_ext, _templates) are relative to the config file
book-student: $(READY)
	config=_build_student_config.$$$$.yml; \
	  $(BIN)/python tools/student_config.py $(STUDENT_OPTIONS) > $$config && \
	  $(JB) $(STRICT) --config $$config --path-output $(STUDENT) . ; \
	  status=$$?; rm -f $$config; exit $$status
	@echo "The site without solutions is in $(STUDENT)/_build/html."

test: $(READY)
	$(BIN)/python -m pytest

serve:
	@test -f $(SITE)/index.html || { echo "no site in $(SITE) yet: run 'make book' first"; exit 1; }
	$(or $(wildcard $(BIN)/python),$(PYTHON)) -m http.server $(PORT) --bind 127.0.0.1 --directory $(SITE)

# JupyterLab is not needed to build or test the book, so it is installed only on demand
lab: $(READY)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install -q jupyterlab==4.6.6
	$(BIN)/jupyter lab chapters

notebooks: $(READY)
	$(BIN)/python tools/notebooks.py execute $(NB)

bench: $(READY)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .pytest_cache .hypothesis *.egg-info _build_student_config*.yml

distclean: clean
	rm -rf $(VENV)

# Backprop by hand. A newcomer needs two targets: `make book` and `make test`.
# Both create .venv (with python3 >= 3.10) and install what they need when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
# what the set-up installs into .venv
REQUIREMENTS ?= -r requirements-dev.txt -e .
JB     := $(BIN)/jupyter-book
PORT   ?= 8000
# what `make serve` serves; SITE=_build/student/_build/html serves the student site
SITE   ?= _build/html
# what `make notebooks` re-executes; NB=chapters/01_forward_pass.ipynb does one chapter
NB     ?=
# where `make book-student` builds: the sources in $(STUDENT)/src, the site in $(STUDENT)/_build/html
STUDENT ?= _build/student
# STUDENT_OPTIONS=--stored-outputs: show the committed outputs instead of re-running the chapters
STUDENT_OPTIONS ?=
# nbgrader's course folder: `make assignments` writes it, `make grade` grades in it
COURSE ?= _build/assignments
# `make grade ASSIGNMENT=02_loss SUBMISSIONS=folder`: seconds each cell (each exercise's check) may run
ASSIGNMENT ?=
SUBMISSIONS ?=
TIMEOUT ?= 60
# how many tests `make test` runs at once: auto is one per core
TEST_JOBS ?= auto
# extra options for `make lab`, e.g. LAB_OPTIONS="--no-browser --port 8888"
LAB_OPTIONS ?=
# PDF_OPTIONS=--stored-outputs: print the committed outputs instead of re-running the chapters
PDF_OPTIONS ?=
# `make worksheet SEED=7` draws the worksheet's numbers from seed 7; HIDDEN=1 adds the hidden layer
SEED   ?=
HIDDEN ?=
# the strict build CI runs: nitpicky, warnings are errors, and every page is rebuilt
STRICT := build --all -n -W --keep-going
# `make book`: as strict, but Sphinx reads again only the pages whose sources changed since
# the last build (a chapter whose code changed is re-executed; the others' outputs come from
# _build/.jupyter_cache). A failed build forgets what it read, so the next one reads every
# page again and repeats every warning. ALL=1 rebuilds every page (after editing _ext/).
BOOK := build $(if $(ALL),--all) -n -W --keep-going
# the tests of the notes' numbers: `make book` runs the ones on the library first
NUMBER_TESTS := $(firstword $(wildcard tests/test_document_numbers.py tests/*/test_document_numbers.py))
# jupyter refuses to run as root without being told
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

.PHONY: help setup _venv book notes-check book-student pdf pdf-student worksheet tex assignments grade test test-fast serve lab bench notebooks clean distclean

help:
	@echo "make book          set up .venv and build the site into _build/html"
	@echo "make test          set up .venv and run every test (library, notebooks, book, site)"
	@echo "make test-fast     the library and checker tests only (tests/lib), in under half a minute"
	@echo "make serve         serve _build/html on http://127.0.0.1:$(PORT) (SITE=..., PORT=...)"
	@echo "make book-student  the student edition: sources without solutions in _build/student/src,"
	@echo "                   its site in _build/student/_build/html"
	@echo "make pdf           the printed book, with solutions: _build/pdf/book.pdf (installs TeX)"
	@echo "make pdf-student   the printed book without solutions: _build/pdf/book-student.pdf"
	@echo "make worksheet     SEED=7 [HIDDEN=1]: _build/worksheets/seed-7.pdf and seed-7-key.pdf"
	@echo "make assignments   each chapter's coding exercises as an nbgrader assignment, in _build/assignments"
	@echo "make grade         grade a folder of submissions: ASSIGNMENT=02_loss SUBMISSIONS=folder [TIMEOUT=60]"
	@echo "make lab           open the chapters in JupyterLab"
	@echo "make notebooks     re-execute every chapter in place (NB=chapters/NN_x.ipynb for one)"
	@echo "make bench         benchmarks: gradient speed, build and rebuild time, page weight, test time"
	@echo "make clean         remove the builds"
	@echo "make distclean     remove the builds and .venv"

# One set-up at a time: a second `make` started meanwhile waits for the first one's .venv
# (flock), then finds it ready. Where flock is missing (macOS), the set-up runs unlocked.
$(READY): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python >= 3.10 is needed"'
	@mkdir -p $(VENV)
	@$(if $(shell command -v flock),flock $(VENV)/.setup.lock) $(MAKE) --no-print-directory _venv

# the set-up itself, under the lock; it checks again, since the .venv may be ready by now
_venv:
	@if [ -f $(READY) ] && [ -z "$$(find requirements.txt requirements-dev.txt pyproject.toml -newer $(READY))" ]; then \
	  echo ".venv was set up meanwhile"; exit 0; fi; \
	set -e; \
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	echo "setting up .venv (a minute or two the first time)"; \
	$(BIN)/python -m pip install -q --upgrade pip; \
	$(BIN)/python -m pip install -q $(REQUIREMENTS); \
	touch $(READY)

setup: $(READY)

# the worked example still the notes' one: otherwise the site would contradict itself.
# It depends on the library and those tests alone, so it runs again only when one changed
# (with PYTHONPATH set the package may come from elsewhere: then it runs every time).
NOTES_OK := $(VENV)/.notes-check.ok
notes-check: $(NOTES_OK)
ifneq ($(PYTHONPATH),)
.PHONY: $(NOTES_OK)
endif

$(NOTES_OK): $(READY) $(shell find backprop_lib -name '*.py' 2>/dev/null) $(NUMBER_TESTS)
	@test -n "$(NUMBER_TESTS)" || { echo "no test_document_numbers.py under tests/: the notes' check is gone"; exit 1; }
	@$(BIN)/pytest -q -x --tb=short --no-header $(NUMBER_TESTS) \
	    -k "example_is_the_notes or agrees" >$(VENV)/notes-check.log 2>&1 \
	  || { tail -n 25 $(VENV)/notes-check.log; echo; \
	       echo "make book stopped: the worked example no longer gives the lecture notes' numbers (above)."; \
	       echo "The book is checked against the notes; see CONTRIBUTING.md, 'The worked example'."; exit 1; }
	@touch $@

book: notes-check
	@$(BIN)/python tools/notebooks.py check
	$(JB) $(BOOK) . || { rm -f _build/.doctrees/environment.pickle; exit 1; }
	@echo
	@echo "The book is in _build/html: open _build/html/index.html, or run 'make serve'."

assignments: $(READY)
	$(BIN)/python tools/assignments.py build --course $(COURSE)

grade: $(READY)
	@test -n "$(ASSIGNMENT)" -a -n "$(SUBMISSIONS)" || { \
	  echo "usage: make grade ASSIGNMENT=02_loss SUBMISSIONS=folder [TIMEOUT=60]"; \
	  echo "  (the folder holds NAME.ipynb files, or NAME/ folders with one notebook each;"; \
	  echo "   run 'make assignments' first; assignments: the chapters' file names)"; exit 1; }
	$(BIN)/python tools/assignments.py grade $(ASSIGNMENT) $(SUBMISSIONS) --timeout $(TIMEOUT) --course $(COURSE)

# the student edition: its sources (chapters as the assignments' student versions), then its site
book-student: $(READY)
	@$(BIN)/python tools/notebooks.py check
	$(BIN)/python tools/student.py $(STUDENT_OPTIONS) --course $(COURSE) --out $(STUDENT)/src
	$(JB) $(STRICT) --path-output $(STUDENT) $(STUDENT)/src
	@echo "The student site is in $(STUDENT)/_build/html; push $(STUDENT)/src to the student repository."

# the printed book (tools/pdf.py); tools/install_tex.sh installs Debian's TeX Live when it is
# missing (as root), or says which apt-get command does
pdf: $(READY) tex
	$(BIN)/python tools/pdf.py $(PDF_OPTIONS)

pdf-student: $(READY) tex
	$(BIN)/python tools/pdf.py --student $(PDF_OPTIONS)

worksheet: $(READY)
	@test -n "$(SEED)" || { echo "say which numbers: make worksheet SEED=7 (HIDDEN=1 adds the hidden layer)"; exit 1; }
	bash tools/install_tex.sh
	$(BIN)/python tools/worksheet.py --seed $(SEED) $(if $(filter-out 0,$(HIDDEN)),--hidden)

tex:
	bash tools/install_tex.sh

# pytest's own summary, then tests/conftest.py's: each failure with its reason, last;
# the PDF tests need TeX: installed here when missing and root; without it they skip (fail in CI).
# The tests run in parallel, one worker per core (pytest-xdist; TEST_JOBS=1 runs them in one
# process); tests that share a notebook's kernel or a module's fixture stay on one worker.
test: $(READY)
	bash tools/install_tex.sh --optional
	$(BIN)/python -m pytest $(if $(filter-out 1,$(TEST_JOBS)),-n $(TEST_JOBS) --dist loadgroup)

# tests/lib: one test file per module of backprop_lib, every test marked `fast`; the
# property tests draw fewer examples than in `make test` (tests/conftest.py), and nbval,
# which only the notebooks need, is not loaded
test-fast: $(READY)
	HYPOTHESIS_PROFILE=fast $(BIN)/python -m pytest -o addopts="-p no:cacheprovider -ra" -p no:nbval -m fast tests/lib

serve:
	@test -f $(SITE)/index.html || { echo "no site in $(SITE) yet: run 'make book' first"; exit 1; }
	@$(or $(wildcard $(BIN)/python),$(PYTHON)) -c 'import socket, sys; s = socket.socket(); \
	  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null \
	  || { echo "port $(PORT) is busy (another 'make serve'?): stop that, or serve on another port: make serve PORT=8001"; exit 1; }
	$(or $(wildcard $(BIN)/python),$(PYTHON)) -m http.server $(PORT) --bind 127.0.0.1 --directory $(SITE)

# JupyterLab is not needed to build the book, so it is installed only on demand
lab: $(READY)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install -q jupyterlab==4.6.6
	$(BIN)/jupyter lab $(ALLOW_ROOT) $(LAB_OPTIONS) chapters

notebooks: $(READY)
	$(BIN)/python tools/notebooks.py execute $(NB)

bench: $(READY)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .pytest_cache .hypothesis *.egg-info _build_pdf_config*.yml

distclean: clean
	rm -rf $(VENV)

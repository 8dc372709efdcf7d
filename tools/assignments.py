"""The chapters' coding exercises as graded assignments, with nbgrader.

    python tools/assignments.py build                      # make assignments
    python tools/assignments.py grade ASSIGNMENT FOLDER    # make grade ASSIGNMENT=02_loss SUBMISSIONS=FOLDER
        [--timeout SECONDS]   time limit of each cell, so of each exercise's check (60)
        [--out FILE.csv]      where the grades go (_build/assignments/grades/ASSIGNMENT.csv)

Every notebook of _toc.yml with a coding exercise (a stub and its `check_NAME(fn)` cell)
becomes an assignment named after its file (`02_loss`), in nbgrader's course folder
_build/assignments:

    source/02_loss/02_loss.ipynb    the autograder's version: the chapter without its solutions'
                                    text; each coding exercise an answer cell holding the chapter's
                                    solution between ### BEGIN/END SOLUTION, and a test cell: the
                                    check the student sees, and the hidden `assert bool(check(fn))`
    release/02_loss/02_loss.ipynb   what students get (nbgrader generate_assignment): no solution,
                                    no hidden test; the student site offers it for download
    gradebook.db                    nbgrader's gradebook: the test cells, and then the grades
    submitted/, autograded/         the submissions of the last grading and how they ran
    grades/02_loss.csv              one row per student, one column per exercise (0 or 1), total

Grading a folder: each `NAME.ipynb` in it, or the one notebook in each sub-folder `NAME/`, is
student NAME's submission. nbgrader runs it cell by cell with a time limit per cell; a cell
that raises or runs out of time is stopped and the notebook goes on, so an exercise whose
function raises or never returns scores 0 and every other exercise is still graded. A
submission scores an exercise when its test cell runs without error, that is when the
checker's verdict is right: the same verdict the student saw.
"""

import argparse
import csv
import os
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import nbformat  # noqa: E402

from tools import editions  # noqa: E402
from tools import notebooks as nbtools  # noqa: E402

COURSE = ROOT / "_build" / "assignments"
NBGRADER_CONFIG = '''\
# nbgrader's settings for this course folder, written by `make assignments`.
# Run nbgrader here (cd _build/assignments) to use its other commands, e.g. formgrader.
c = get_config()  # noqa: F821
c.CourseDirectory.root = "."
# each cell, so each exercise's check, gets this many seconds; then the kernel is interrupted
# and the notebook goes on with the next cell
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
c.Execute.iopub_timeout = 60
'''


def nbgrader_api(course, **settings):
    """nbgrader's Python API on the course folder (one process for all assignments: nbgrader's
    start-up, a database check included, takes seconds). `settings`: {"Execute.timeout": 60, ...}."""
    # nbgrader runs `alembic` from PATH: the one beside this interpreter
    os.environ["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(course)
    for key, value in settings.items():
        section, name = key.split(".")
        setattr(getattr(config, section), name, value)
    return NbGraderAPI(config=config)


def run(what, result):
    """Stop with nbgrader's own log when one of its commands failed."""
    if not result["success"]:
        raise SystemExit(f"nbgrader {what} failed:\n{(result.get('log') or '')[-3000:]}\n{result.get('error') or ''}")
    return result


def student_repository():
    """The repository the students' notebooks install backprop_lib from (its branch)."""
    student = nbtools.repository("student_repository")
    repo = student if student["url"] else nbtools.repository()
    return {**repo, "release": None} if student["url"] else repo


def stripped(path, repo=None):
    """(the notebook at `path` without solutions and with its set-up cell for the students,
    the removed solutions' text)."""
    name = str(path.relative_to(ROOT))
    nb, removed = editions.strip_solutions(nbtools.read(path), name)
    nbtools.set_setup_cell(nb, nbtools.setup_source(repo or student_repository()))
    return nb, removed


def build(course=COURSE, timeout=60):
    """Write every assignment's source and release version; return {assignment: [exercise labels]}."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(timeout=timeout))
    repo = student_repository()
    made = {}
    for path in nbtools.notebooks():
        name = str(path.relative_to(ROOT))
        nb, removed = stripped(path, repo)
        if not editions.coding_exercises(nb, name):
            continue
        try:
            source, labels = editions.to_assignment(nb, removed, name)
        except editions.EditionError as err:
            raise SystemExit(str(err)) from None
        folder = course / "source" / path.stem
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        nbformat.write(source, folder / path.name)
        made[path.stem] = labels
    # outputs kept: the student's notebook shows what the chapter computes, as on the site
    api = nbgrader_api(course, **{"ClearOutput.enabled": False})
    for assignment in made:
        run(f"generate_assignment {assignment}", api.generate_assignment(assignment, force=True, create=True))
    return made


def submissions(folder):
    """{student: notebook} for a folder of NAME.ipynb files and NAME/ folders with one notebook."""
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"{folder}: no such folder of submissions")
    found = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and entry.suffix == ".ipynb":
            found[entry.stem] = entry
        elif entry.is_dir() and not entry.name.startswith("."):
            books = [p for p in entry.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
            if len(books) != 1:
                raise SystemExit(f"{entry}: {len(books)} notebooks; a student's folder holds exactly one")
            found[entry.name] = books[0]
    if not found:
        raise SystemExit(f"{folder}: no submissions (NAME.ipynb files or NAME/ folders with one notebook)")
    return found


def exercise_columns(labels):
    """'Exercise 2.4 (ex-label)' for each label: the numbers of the site."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())

    def read(file):
        path = ROOT / f"{file}.ipynb"
        return nbtools.read(path) if path.exists() else None
    numbers = editions.exercise_numbers(toc, read)
    return [f"Exercise {numbers[label]} ({label})" if label in numbers else label for label in labels]


def grade(assignment, folder, timeout=60, out=None, course=COURSE):
    """Grade a folder of submissions of `assignment`; write the CSV and return its rows."""
    from nbgrader.api import Gradebook, MissingEntry

    source = course / "source" / assignment / f"{assignment}.ipynb"
    if not source.exists() or not (course / "gradebook.db").exists():
        known = sorted(p.name for p in (course / "source").glob("*")) if (course / "source").exists() else []
        raise SystemExit(f"no assignment {assignment!r} in {course}: run `make assignments` first"
                         + (f" (assignments: {', '.join(known)})" if known else ""))
    # the exercises: the graded test cells of the autograder's version, in its order
    labels = [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(source, as_version=4).cells
              if c.metadata.get("nbgrader", {}).get("grade")]
    found = submissions(folder)

    # this folder is the whole class: earlier submissions of this assignment go
    for stage in ("submitted", "autograded", "feedback"):
        for old in (course / stage).glob(f"*/{assignment}"):
            shutil.rmtree(old)
    for student, path in found.items():
        target = course / "submitted" / student / assignment
        target.mkdir(parents=True)
        shutil.copy(path, target / f"{assignment}.ipynb")
    api = nbgrader_api(course, **{"Execute.timeout": timeout, "Execute.interrupt_on_timeout": True,
                                  "Execute.iopub_timeout": 60})
    logs = {student: api.autograde(assignment, student, force=True, create=True) for student in found}

    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in found:
            row, note = {"student": student}, ""
            try:
                sub = gb.find_submission_notebook(assignment, assignment, student)
                scores = {g.name: g.score or 0 for g in sub.grades}
            except MissingEntry:
                scores = {}
            if not logs[student]["success"]:
                scores, note = {}, "not graded: nbgrader could not run it; see its log above"
                print(f"{student}: {logs[student].get('log', '')[-2000:]}", file=sys.stderr)
            for label in labels:
                row[label] = int(scores.get(label, 0))
            row["total"] = sum(row[label] for label in labels)
            row["note"] = note
            rows.append(row)

    out = pathlib.Path(out) if out else course / "grades" / f"{assignment}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *exercise_columns(labels), "total", "note"])
        for row in rows:
            writer.writerow([row["student"], *(row[label] for label in labels), row["total"], row["note"]])
    print(f"graded {len(rows)} submission(s) of {assignment}: {out}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write every chapter's assignment (make assignments)")
    b.add_argument("--course", type=pathlib.Path, default=COURSE)
    g = sub.add_parser("grade", help="grade a folder of submitted notebooks (make grade)")
    g.add_argument("assignment", help="the chapter's file name, e.g. 02_loss")
    g.add_argument("folder", help="a folder of NAME.ipynb files, or of NAME/ folders with one notebook")
    g.add_argument("--timeout", type=int, default=60, help="seconds each cell may run (default 60)")
    g.add_argument("--out", help="the CSV to write (default _build/assignments/grades/ASSIGNMENT.csv)")
    g.add_argument("--course", type=pathlib.Path, default=COURSE)
    args = parser.parse_args(argv)
    if args.command == "build":
        made = build(args.course)
        for assignment, labels in made.items():
            print(f"{assignment}: {len(labels)} graded exercise(s)")
        print(f"Assignments in {args.course}: students get release/NAME/NAME.ipynb; "
              "grade a folder with `make grade ASSIGNMENT=NAME SUBMISSIONS=FOLDER`.")
    else:
        grade(args.assignment, args.folder, args.timeout, args.out, args.course)


if __name__ == "__main__":
    main()

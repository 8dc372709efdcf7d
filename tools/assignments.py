"""The chapters' coding exercises as graded assignments, with nbgrader.

    python tools/assignments.py build                      # make assignments
    python tools/assignments.py grade ASSIGNMENT FOLDER    # make grade ASSIGNMENT=02_loss SUBMISSIONS=FOLDER
        [--timeout SECONDS]   time limit of each cell, so of each exercise's check (60)
        [--out FILE.csv]      where the grades go (_build/assignments/grades/ASSIGNMENT.csv), and
                              the feedback and logs (beside it, in FILE/)

Every notebook of _toc.yml with a coding exercise (a stub and its `check_NAME(fn)` cell)
becomes an assignment named after its file (`02_loss`), in nbgrader's course folder
_build/assignments:

    source/02_loss/02_loss.ipynb    the autograder's version: the chapter without its solutions'
                                    text; each coding exercise an answer cell holding the chapter's
                                    solution between ### BEGIN/END SOLUTION, and a test cell: the
                                    check the student sees, then a hidden test that asserts its
                                    verdict (`latest_verdict("check_NAME")`: the checker runs once)
    release/02_loss/02_loss.ipynb   what students get (nbgrader generate_assignment): no solution,
                                    no hidden test; the student site offers it for download
    gradebook.db                    nbgrader's gradebook: the test cells, and then the grades
    submitted/, autograded/         each student's latest submission, and how it ran
    grades/02_loss.csv              one row per student graded so far: one column per exercise
                                    (0 or 1), the total, and a note: why each point was lost
    grades/02_loss/NAME.txt         student NAME's feedback, to send back: each exercise's score
                                    and the checker's line (or the time-out, or the error)
    grades/02_loss/NAME.log         nbgrader's whole log, where it could not run NAME's notebook

Grading a folder: each `NAME.ipynb` in it, or the one notebook in each sub-folder `NAME/`, is
student NAME's submission (a sub-folder with none or several is skipped, with a note). nbgrader
runs it cell by cell with a time limit per cell; a cell that raises or runs out of time is
stopped and the notebook goes on, so an exercise whose function raises or never returns scores
0 and every other exercise is still graded. A submission scores an exercise when its test cell
runs without error, that is when the checker's verdict is right: the verdict the student saw,
since nbgrader puts the instructor's test cells back before it runs a notebook. Grading another
folder adds its students to the CSV; a student graded again gets a new row in place of the old.
"""

import argparse
import csv
import os
import pathlib
import re
import shutil
import sys
import warnings

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


# nbgrader's gradebook warns (SQLAlchemy's SAWarning) on every submission it records: it builds
# the submission and its notebooks' grades, and reading the assignment's notebooks meanwhile
# flushes the session before they are added to it. Gradebook.add_submission adds and commits
# them right after, so nothing is lost. This warning alone is silenced, not SQLAlchemy's others.
NOT_IN_SESSION = (r"Object of type <Submitted\w+> not in session, "
                  r"add operation along '\w+\.submissions' will not proceed")


def nbgrader_api(course, **settings):
    """nbgrader's Python API on the course folder (one process for all assignments: nbgrader's
    start-up, a database check included, takes seconds). `settings`: {"Execute.timeout": 60, ...}."""
    # nbgrader runs `alembic` from PATH: the one beside this interpreter
    os.environ["PATH"] = os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get("PATH", "")])
    from nbgrader.apps import NbGraderAPI
    from sqlalchemy.exc import SAWarning
    from traitlets.config import Config

    warnings.filterwarnings("ignore", NOT_IN_SESSION, SAWarning)

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
    """({student: notebook}, {student: why it is not graded}) for a folder of NAME.ipynb files
    and NAME/ folders with one notebook each; a folder with none or several is skipped."""
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"{folder}: no such folder of submissions")
    found, skipped = {}, {}
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and entry.suffix == ".ipynb":
            found[entry.stem] = entry
        elif entry.is_dir() and not entry.name.startswith("."):
            books = sorted(p for p in entry.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if len(books) == 1:
                found[entry.name] = books[0]
            else:
                names = ", ".join(str(p.relative_to(entry)) for p in books)
                skipped[entry.name] = (f"not graded: the folder {entry.name}/ holds {len(books)} notebooks"
                                       + (f" ({names})" if books else "") + "; a student's folder holds exactly one")
    if not found and not skipped:
        raise SystemExit(f"{folder}: no submissions (NAME.ipynb files or NAME/ folders with one notebook)")
    return found, skipped


def exercise_names(labels):
    """{label: 'Exercise 2.4'} for each label: the numbers of the site (the label where it has none)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())

    def read(file):
        path = ROOT / f"{file}.ipynb"
        return nbtools.read(path) if path.exists() else None
    numbers = editions.exercise_numbers(toc, read)
    return {label: f"Exercise {numbers[label]}" if label in numbers else label for label in labels}


def exercise_columns(labels, names):
    """'Exercise 2.4 (ex-label)' for each label: the CSV's columns (`names`: exercise_names)."""
    return [f"{names[label]} ({label})" if names[label] != label else label for label in labels]


# what a checker prints: "Right (check_x): ...", "Not yet (check_x): ..." or "Not attempted yet: ..."
CHECKER_LINE = re.compile(r"^(?:(?:Right|Not yet) \(\w+\): |Not attempted yet\b).*$", re.M)


def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def _error_line(error):
    """'RuntimeError: its message', on one line and short."""
    message = " ".join(str(error.get("evalue", "")).split())
    # a SyntaxError names the kernel's file for the cell ("(2151244402.py, line 1)"): keep the line
    message = re.sub(r"\(\d+\.py, (line \d+)\)", r"(\1 of the cell)", message)
    if len(message) > 160:
        message = message[:157] + "..."
    return f"{error.ename}: {message}" if message else error.ename


def verdict_lines(nb, labels, timeout):
    """{label: what the graded notebook `nb` says of that exercise}: the checker's line (its
    last one, if the student's code printed others); else "timed out after N s" when its
    answer or check cell ran out of time; else the error that stopped the answer cell, or
    the check cell. "" when the check cell printed nothing and raised nothing."""
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells if c.cell_type == "code"}
    lines = {}
    for label in labels:
        check, answer = cells.get(label, {}), cells.get(f"{label}-answer", {})
        printed = "".join(o.get("text", "") for o in check.get("outputs", []) if o.output_type == "stream")
        said = CHECKER_LINE.findall(printed)
        errors = _errors(answer) + _errors(check)
        if said:
            lines[label] = said[-1]
        elif any(e.ename == "CellTimeoutError" for e in errors):
            lines[label] = f"timed out after {timeout} s"
        else:
            lines[label] = _error_line(errors[0]) if errors else ""
    return lines


def where_it_died(nb, index, names):
    """'cell 12, the answer of Exercise 2.1': the cell at `index` of the submitted notebook."""
    if nb is None or not 0 <= index < len(nb.cells):
        return f"cell {index + 1}"
    grade_id = nb.cells[index].metadata.get("nbgrader", {}).get("grade_id", "")
    label, answer = grade_id.removesuffix("-answer"), grade_id.endswith("-answer")
    part = f", the {'answer' if answer else 'check'} of {names[label]}" if label in names else ""
    return editions.cell_name(nb, index) + part


def graded_row(course, assignment, student, labels, names, timeout, gb):
    """The row of a notebook nbgrader ran: its scores from the gradebook, and for each
    exercise the line of its graded notebook (the note: why a point was lost)."""
    from nbgrader.api import MissingEntry

    try:
        sub = gb.find_submission_notebook(assignment, assignment, student)
        given = {g.name: g.score or 0 for g in sub.grades}
    except MissingEntry:
        given = {}
    scores = {label: int(given.get(label, 0)) for label in labels}
    graded = course / "autograded" / student / assignment / f"{assignment}.ipynb"
    lines = verdict_lines(nbformat.read(graded, as_version=4), labels, timeout)
    note = "; ".join(f"{names[label]}: {lines[label] or 'the check did not pass'}"
                     for label in labels if not scores[label])
    return {"student": student, "scores": scores, "lines": lines, "why": "", "note": note}


def not_graded_row(course, assignment, student, result, died_in, names, files):
    """The row of a notebook nbgrader could not run: its whole log goes to files/NAME.log, and
    the note names that file and, when the kernel died, the cell it died in."""
    log = files / f"{student}.log"
    log.write_text((result.get("log") or "") + "\n" + (result.get("error") or ""))
    text = log.read_text()
    why = "nbgrader could not run it"
    if ("DeadKernelError" in text or "Kernel died" in text) and died_in is not None:
        try:
            nb = nbformat.read(course / "submitted" / student / assignment / f"{assignment}.ipynb", as_version=4)
        except Exception:  # a notebook nbgrader could not read; the log says why
            nb = None
        why = f"the kernel died in {where_it_died(nb, died_in, names)}"
    return {"student": student, "scores": dict.fromkeys(names, 0), "lines": {}, "why": f"not graded: {why}",
            "note": f"not graded: {why}; nbgrader's log: {files.name}/{log.name} beside this CSV"}


def write_feedback(path, assignment, row, labels, names):
    """A student's feedback, to send back: the total, then each exercise's score and line."""
    text = [f"{assignment}, {row['student']}: {sum(row['scores'].values())} of {len(labels)}"]
    if row["why"]:
        text.append(row["why"])
    else:
        text += [f"{names[label]} ({label}): {row['scores'][label]} of 1. {row['lines'][label]}".rstrip()
                 for label in labels]
    path.write_text("\n".join(text) + "\n")


def write_csv(out, rows, labels, names):
    """Write the grades CSV: one row per student, the earlier ones of `out` kept (a row of
    `rows` replaces the same student's); return how many students it holds."""
    columns = dict(zip(labels, exercise_columns(labels, names)))
    new = {row["student"]: {"student": row["student"],
                            **{columns[label]: row["scores"][label] for label in labels},
                            "total": sum(row["scores"].values()), "note": row["note"]} for row in rows}
    earlier = []
    if out.exists():
        with open(out, newline="") as f:
            earlier = [r for r in csv.DictReader(f) if r.get("student") not in new]
    with open(out, "w", newline="") as f:
        # an earlier row's columns that the assignment no longer has are left out
        writer = csv.DictWriter(f, ["student", *columns.values(), "total", "note"], restval="",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(sorted([*earlier, *new.values()], key=lambda r: r["student"].casefold()))
    return len(earlier) + len(new)


def grade(assignment, folder, timeout=60, out=None, course=COURSE):
    """Grade a folder of submissions of `assignment`: write the CSV (which keeps the rows of the
    students graded before and not in this folder), each student's feedback file and, where
    nbgrader could not run a notebook, its log. Return the rows of this folder's students."""
    from nbgrader.api import Gradebook

    source = course / "source" / assignment / f"{assignment}.ipynb"
    if not (course / "gradebook.db").exists():
        raise SystemExit(f"{course} holds no assignments yet: run `make assignments` first")
    if not source.exists():
        known = sorted(p.name for p in (course / "source").glob("*"))
        raise SystemExit(f"no assignment {assignment!r} in {course}; the assignments: {', '.join(known)}")
    # the exercises: the graded test cells of the autograder's version, in its order
    labels = [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(source, as_version=4).cells
              if c.metadata.get("nbgrader", {}).get("grade")]
    names = exercise_names(labels)
    found, skipped = submissions(folder)
    out = pathlib.Path(out) if out else course / "grades" / f"{assignment}.csv"
    files = out.with_suffix("")  # grades/02_loss/: each student's feedback, and nbgrader's logs
    files.mkdir(parents=True, exist_ok=True)

    # a student handing in again replaces their earlier submission; the others' stay
    for student, path in found.items():
        for stage in ("submitted", "autograded", "feedback"):
            shutil.rmtree(course / stage / student / assignment, ignore_errors=True)
        target = course / "submitted" / student / assignment
        target.mkdir(parents=True)
        shutil.copy(path, target / f"{assignment}.ipynb")
        (files / f"{student}.log").unlink(missing_ok=True)
    # the cell each notebook is running, noted as it starts: the one to name if the kernel dies
    running = {}
    api = nbgrader_api(course, **{"Execute.timeout": timeout, "Execute.interrupt_on_timeout": True,
                                  "Execute.iopub_timeout": 60,
                                  "Execute.on_cell_execute": lambda cell, cell_index: running.update(index=cell_index)})
    results, died_in = {}, {}
    for student in found:
        running.clear()
        results[student] = api.autograde(assignment, student, force=True, create=True)
        died_in[student] = running.get("index")

    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, result in results.items():
            rows.append(graded_row(course, assignment, student, labels, names, timeout, gb) if result["success"]
                        else not_graded_row(course, assignment, student, result, died_in[student], names, files))
    rows += [{"student": student, "scores": dict.fromkeys(labels, 0), "lines": {}, "why": why, "note": why}
             for student, why in skipped.items()]

    for row in rows:
        write_feedback(files / f"{row['student']}.txt", assignment, row, labels, names)
        print(f"{row['student']}: {sum(row['scores'].values())} of {len(labels)}"
              + (f"; {row['note']}" if row["note"] else ""))
    held = write_csv(out, rows, labels, names)
    print(f"graded {len(found)} submission(s) of {assignment}" + (f", skipped {len(skipped)}" if skipped else "")
          + f"; {out} holds {held} student(s); the feedback to send back is in {files}")
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
    g.add_argument("--out", help="the CSV to write or add to (default _build/assignments/grades/ASSIGNMENT.csv)")
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

"""Chapters executed in parallel, and kept between builds only while they are still right.

With `execute_notebooks: cache` (`_config.yml`), myst-nb runs each notebook through
jupyter-cache: a notebook whose code cells have not changed is not run again. Two things
are added here.

1. **The cache is keyed on what the code runs against too.** jupyter-cache matches a
   notebook by its code cells alone, so a change to `backprop_lib` (or to the pinned
   requirements) would leave stale outputs in the book. The cache therefore lives in
   `_build/.jupyter_cache/lib-<hash>`, the hash taken over `backprop_lib/**/*.py`,
   `requirements.txt` and the Python version; any change starts a new, empty cache (and
   the old one is removed).
2. **Notebooks the cache lacks run side by side.** myst-nb executes notebooks one after
   the other, as it reads them. Before Sphinx reads anything, this runs every notebook
   that has no cached result in a pool of `nb_execution_jobs` processes (default: two per
   core this process may use; a kernel idles while it waits on its messages, and on this
   2-core machine 4 at a time built faster than 2 or 3) and stores the results in the
   cache, where myst-nb then
   finds them. A notebook that fails here is left out of the cache, so myst-nb runs it
   again itself and reports the error as it always does.

With any other execution mode (the student build from stored outputs uses "auto") this
does nothing.
"""

import concurrent.futures
import hashlib
import multiprocessing
import os
import pathlib
import shutil
import sys
import time

from sphinx.util import logging

logger = logging.getLogger(__name__)
ROOT = pathlib.Path(__file__).resolve().parent.parent
KEYED_ON = ["requirements.txt", "backprop_lib/**/*.py"]


def cache_key():
    """A hash of everything besides a notebook's own code that decides its outputs."""
    digest = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}".encode())
    for pattern in KEYED_ON:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return "lib-" + digest.hexdigest()[:12]


def _keyed_cache(app, config):
    if config.nb_execution_mode != "cache" or config.nb_execution_cache_path:
        return
    caches = pathlib.Path(app.outdir).parent / ".jupyter_cache"
    current = caches / cache_key()
    if caches.is_dir():
        for old in caches.glob("lib-*"):
            if old != current:
                shutil.rmtree(old, ignore_errors=True)
    config.nb_execution_cache_path = str(current)


def _execute(notebook, cwd, timeout, allow_errors):
    """Run one notebook (in a worker process); returns (notebook, seconds, error or None)."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(notebook, cwd=cwd, timeout=timeout, allow_errors=allow_errors,
                                 meta_override=True)
    return notebook, result.time, result.exc_string if result.err is not None else None


def _notebooks_to_run(env, docnames, cache):
    """(docname, path, notebook, read format) for every notebook to read that the cache lacks."""
    from myst_nb.core.read import create_nb_reader

    nb_config = env.mystnb_config
    todo = []
    for docname in sorted(docnames):
        path = pathlib.Path(env.doc2path(docname))
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
        if reader is None:
            continue  # plain Markdown: nothing to run
        notebook = reader.read(text)
        if nb_config.metadata_key in notebook.metadata or nb_config.kernel_rgx_aliases:
            continue  # per-notebook settings: myst-nb handles those itself
        if any(path.match(pattern) for pattern in nb_config.execution_excludepatterns):
            continue
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            todo.append((docname, path, notebook, reader.read_fmt))
    return todo


def _run_in_parallel(app, env, docnames):
    nb_config = getattr(env, "mystnb_config", None)
    jobs = app.config.nb_execution_jobs or 2 * len(os.sched_getaffinity(0))
    if nb_config is None or nb_config.execution_mode != "cache" or jobs < 2:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(nb_config.execution_cache_path)
    todo = _notebooks_to_run(env, docnames, cache)
    if len(todo) < 2:
        return  # one notebook or none: myst-nb runs it as it reads it
    logger.info(f"executing {len(todo)} notebooks, {jobs} at a time")
    start = time.perf_counter()
    # "spawn": fresh worker processes, nothing of this Sphinx process copied into them
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs,
                                                mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(_execute, notebook, str(path.parent), nb_config.execution_timeout,
                               nb_config.execution_allow_errors): (docname, path, read_fmt)
                   for docname, path, notebook, read_fmt in todo}
        for future in concurrent.futures.as_completed(futures):
            docname, path, read_fmt = futures[future]
            try:
                notebook, seconds, error = future.result()
            except Exception as crash:  # the worker itself failed: myst-nb will run it
                notebook, seconds, error = None, 0.0, repr(crash)
            if error is not None:
                logger.info(f"{docname}: failed in the parallel run; myst-nb runs it again and reports")
                continue
            if read_fmt is not None:
                stage = cache.add_nb_to_project(str(path), read_data=read_fmt)
            else:
                stage = cache.add_nb_to_project(str(path))
            cache.cache_notebook_bundle(CacheBundleIn(notebook, stage.uri, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            logger.info(f"{docname}: executed in {seconds:.2f} s")
    logger.info(f"executed {len(todo)} notebooks in {time.perf_counter() - start:.1f} s")


def setup(app):
    # 0: two per core this process may use (a kernel waits on its messages part of the time)
    app.add_config_value("nb_execution_jobs", 0, "env")
    # after myst-nb's own config-inited handlers, before its builder-inited reads the config
    app.connect("config-inited", _keyed_cache, priority=900)
    app.connect("env-before-read-docs", _run_in_parallel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

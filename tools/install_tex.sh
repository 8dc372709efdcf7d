#!/usr/bin/env bash
# The TeX that `make pdf`, `make pdf-student` and `make worksheet` need, from Debian's TeX Live,
# and poppler-utils (pdftotext, pdfinfo), with which the tests read the PDFs.
#
#   tools/install_tex.sh             install what is missing (as root, with apt-get), or say
#                                    which command installs it and fail
#   tools/install_tex.sh --optional  the same, but without root or apt-get only say so and
#                                    succeed: `make test` then skips the PDF tests, except in
#                                    CI (CI=true), where they fail
#
# What each package is for (with what they bring: about 120 MB to download, 400 MB installed,
# on Debian 12):
#   texlive-xetex               XeLaTeX: the book's Unicode (×, √, ·) in OpenType fonts
#   texlive-latex-extra         what Sphinx's LaTeX and sphinx-jupyterbook-latex load
#                               (tabulary, fncychap, needspace, ...; brings texlive-pictures
#                               for pgfplots and texlive-latex-recommended)
#   texlive-fonts-recommended   the rsfs and Zapf Dingbats metrics the book's class loads
#   fonts-freefont-otf          FreeSerif, FreeSans, FreeMono: the book's text and code fonts
#   fonts-lmodern               Latin Modern Math: the book's math, and the worksheets' fonts
#   latexmk                     runs LaTeX until every cross-reference is resolved
#   poppler-utils               pdftotext, pdfinfo: the tests read the PDFs with them
# bbm (blackboard bold, only in the 0.5 GB texlive-fonts-extra) is replaced by _ext/latex/bbm.sty.
set -euo pipefail

PACKAGES=(texlive-xetex texlive-latex-extra texlive-latex-recommended texlive-fonts-recommended
          fonts-freefont-otf fonts-lmodern latexmk poppler-utils)
optional=false
[ "${1:-}" = "--optional" ] && optional=true

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
else
  # not Debian: a TeX Live of your own works if it has these commands
  missing=()
  for command in xelatex latexmk pdftotext pdfinfo; do
    command -v "$command" >/dev/null 2>&1 || missing+=("$command")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]} (install TeX Live with XeLaTeX and latexmk, and poppler)" >&2
    $optional && exit 0 || exit 1
  fi
  exit 0
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing the TeX for the printed book: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "The printed book needs: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
$optional && exit 0 || exit 1

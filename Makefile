# Two commands do all the set-up on a fresh machine with Python 3 and pip:
#   make lab    open the course in JupyterLab   (PORT=8890 BROWSER=no TOKEN=... optional)
#   make test   run every test
#   make hub ROSTER=cohort.csv   (as root) a JupyterHub for a workshop cohort, see README.md
# Both create .venv when it is missing and install what they need into it.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8888
BROWSER ?= yes
TOKEN ?=
# trainee: hide nbgrader's instructor tools (formgrader, Create Assignment); trainer: show them,
# with the formgrader serving the nbgrader course in COURSE (exercises/, or a demo course).
ROLE ?= trainee
COURSE ?= exercises
PYTEST_ARGS ?=
START_PAGE := course/00-start-here.ipynb
# make lab LANG=fr (or es): JupyterLab's menus in that language (its language pack, chosen by
# jupyter-config/<lang>/labconfig/default_setting_overrides.json, a default the trainee's own
# settings still override), cdatools' widgets and messages in it (CDATOOLS_LANGUAGE), and the
# start page course/<lang>/00-start-here.ipynb when it exists. Only LANG given on the command
# line counts: the LANG every shell has (en_US.UTF-8, say) leaves the course in English.
LAB_LANG := $(if $(filter command line,$(origin LANG)),$(LANG))

BIN := $(VENV)/bin
LAB_STAMP := $(VENV)/.installed-lab
DEV_STAMP := $(VENV)/.installed-dev
# JavaScript the browser tests inject into pages (axe-core), from the npm registry.
JS_STAMP := tests/js/node_modules/.installed

# BROWSER is also the variable Python's webbrowser module reads; never hand
# "yes" or "no" to it as if they were browser programs.
unexport BROWSER
export JUPYTER_PLATFORM_DIRS := 1
# nbgrader runs helper programs (alembic) by name, so the environment's bin folder
# must be on PATH for the formgrader and the command line alike.
export PATH := $(abspath $(BIN)):$(PATH)

.DEFAULT_GOAL := help
.PHONY: help lab test format clean assignments hub

help:
	@echo "make lab    open the course in JupyterLab (PORT=$(PORT), BROWSER=yes|no, TOKEN=<token>, ROLE=trainee|trainer, COURSE=<nbgrader course> for trainers,"
	@echo "           LANG=fr|es for JupyterLab and the course in French or Spanish)"
	@echo "make test   install the dev tools and run every test (lint, unit, notebooks)"
	@echo "make format format the code and notebooks with ruff"
	@echo "make assignments  regenerate the student versions in exercises/release from exercises/source, and their French and Spanish editions (exercises/release-fr, release-es)"
	@echo "make book   build the course as an offline website (build/site/index.html) and a PDF (build/course.pdf),"
	@echo "           in French and Spanish too (build/site/fr/, build/site/es/, build/course-fr.pdf, build/course-es.pdf)"
	@echo "make handouts  print the templates, role cards and facilitator's kit to build/handouts/ (PDF and HTML, PAPER=A4|Letter, LANG=fr|es: build/handouts/fr|es/)"
	@echo "make hub ROSTER=cohort.csv  (as root) start a JupyterHub for the cohort (PORT=8000 HOST=0.0.0.0"
	@echo "           HUB_DIR=/srv/cda-hub IDLE=60 minutes MEMORY=2048 MB per trainee SSL_CERT=... SSL_KEY=...)"
	@echo "make clean  remove .venv and caches"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV) with '$(PYTHON) -m venv'. On Debian or Ubuntu install the python3-venv package, or use the conda route in README.md." >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(LAB_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(LAB_STAMP)

lab: $(LAB_STAMP)
	@lang="$(LAB_LANG)"; case "$$lang" in \
	  ""|en|en_*|en-*|EN) lang= ;; \
	  fr|fr_*|fr-*|FR) lang=fr ;; \
	  es|es_*|es-*|ES) lang=es ;; \
	  *) echo "LANG must be fr, es or en, not '$$lang'" >&2; exit 2 ;; \
	esac; \
	if [ -n "$(LAB_LANG)" ]; then export LANG=C.UTF-8; fi; \
	case "$(BROWSER)" in \
	  no|No|NO|false|0) open_flag=--no-browser ;; \
	  yes|Yes|YES|true|1|"") open_flag= ;; \
	  *) open_flag=; export BROWSER="$(BROWSER)" ;; \
	esac; \
	token_flag=; [ -n "$(TOKEN)" ] && token_flag="--IdentityProvider.token=$(TOKEN)"; \
	export JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/common$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"; \
	root_dir="$(CURDIR)"; start_url=/lab/tree/$(START_PAGE); set --; \
	if [ -n "$$lang" ]; then \
	  export JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/$$lang:$$JUPYTER_CONFIG_PATH"; \
	  export CDATOOLS_LANGUAGE=$$lang; \
	  if [ -f "course/$$lang/00-start-here.ipynb" ]; then start_url=/lab/tree/course/$$lang/00-start-here.ipynb; \
	  else echo "Notice: the course's pages are not translated into '$$lang' yet; the start page opens in English (JupyterLab's menus and the course's tools are in '$$lang')." >&2; fi; \
	fi; \
	case "$(ROLE)" in \
	  trainer) export JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/trainer$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"; \
	    course=$$(cd "$(COURSE)" 2>/dev/null && pwd -P) && [ -f "$$course/nbgrader_config.py" ] || { \
	      echo "COURSE must be an nbgrader course folder (with nbgrader_config.py), not '$(COURSE)'" >&2; exit 2; }; \
	    set -- "--CourseDirectory.root=$$course"; \
	    case "$$course/" in "$$(pwd -P)"/*) ;; *) root_dir="$$course"; start_url=/lab ;; esac ;; \
	  trainee) export JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config/trainee$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" ;; \
	  *) echo "ROLE must be trainee or trainer, not '$(ROLE)'" >&2; exit 2 ;; \
	esac; \
	exec $(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) $$open_flag $$token_flag \
	  --allow-root --ServerApp.root_dir="$$root_dir" "$$@" \
	  $(if $(filter command line,$(origin PORT)),--ServerApp.port_retries=0) \
	  --LabApp.default_url=$$start_url

$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the browser tests' accessibility checker (Debian: apt-get install npm)" >&2; exit 1; }
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
	@touch $@

test: $(DEV_STAMP) $(JS_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	MPLBACKEND=Agg $(BIN)/python -m pytest $(PYTEST_ARGS)

# The French and Spanish editions (exercises/release-fr|es) are built from the new student
# versions and the catalogs in exercises/i18n/ (polib, in the dev extra, reads them).
assignments: $(DEV_STAMP)
	@scratch_db=$$(mktemp -d); \
	cd exercises && for folder in source/*/; do \
	  name=$$(basename "$$folder"); \
	  nbgrader generate_assignment "$$name" --force --log-level=WARN \
	    --CourseDirectory.db_url="sqlite:///$$scratch_db/gradebook.db" || exit 1; \
	done; rm -rf "$$scratch_db"
	@for lang in fr es; do \
	  $(BIN)/python -m cdatools.notebook_i18n --course exercises/release build $$lang || exit 1; \
	done

# The workshop hub. Standard library only until the roster is checked; then it installs
# what is missing (apt: python3-venv, nodejs, npm; pip: the hub extra; npm: the proxy)
# into HUB_DIR and starts JupyterHub in the foreground. HUB_ENV: reuse a users' environment.
HUB_DIR ?= /srv/cda-hub
IDLE ?= 60
MEMORY ?= 2048
SSL_CERT ?=
SSL_KEY ?=
HUB_ENV ?=
HUB_PORT = $(if $(filter command line environment,$(origin PORT)),$(PORT),8000)
HUB_HOST = $(if $(filter command line,$(origin HOST)),$(HOST),0.0.0.0)

hub:
	@[ -n "$(ROSTER)" ] || { echo "make hub needs ROSTER=<file.csv> with the columns username,role,first_name,last_name,email" >&2; exit 2; }
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed, found " + sys.version.split()[0]'
	@$(PYTHON) -m cdatools.hub --roster "$(ROSTER)" --hub-dir "$(HUB_DIR)" --host "$(HUB_HOST)" \
	  --port "$(HUB_PORT)" --idle "$(IDLE)" --memory-mb "$(MEMORY)" \
	  --ssl-cert "$(SSL_CERT)" --ssl-key "$(SSL_KEY)" $(if $(HUB_ENV),--user-env "$(HUB_ENV)")

# The course as a website and a PDF, both offline (book/build.py says how).
BOOK_STAMP := $(VENV)/.installed-book
.PHONY: book

$(BOOK_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[book]"
	@touch $@

book: $(BOOK_STAMP)
	MPLBACKEND=Agg $(BIN)/python book/build.py

# Printable handouts: templates, role cards (one per page), facilitator's kit, field-kit
# questionnaires, as PDF (Chromium, like the book) and HTML, listed in build/handouts/index.html;
# LANG=fr or es prints the French or Spanish edition (course/fr, course/es) into build/handouts/fr or es.
PAPER ?= A4
.PHONY: handouts
handouts: $(BOOK_STAMP)
	@lang="$(LAB_LANG)"; case "$$lang" in \
	  ""|en|en_*|en-*|EN) lang=en ;; \
	  fr|fr_*|fr-*|FR) lang=fr ;; \
	  es|es_*|es-*|ES) lang=es ;; \
	  *) echo "LANG must be fr, es or en, not '$$lang'" >&2; exit 2 ;; \
	esac; \
	$(BIN)/python -m cdatools handouts --out build/handouts --paper $(PAPER) --language "$$lang"

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info tests/js/node_modules

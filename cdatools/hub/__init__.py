"""A workshop JupyterHub for one cohort: ``make hub ROSTER=cohort.csv``.

The hub runs on one Linux server, as root. Each person on the roster is a real Unix
user who logs in with a generated password (PAM); trainees get the course in their home
folder and nbgrader's *Assignments* panel, trainers the formgrader and the course root.

Modules
-------
roster
    Read and check the roster (pure functions; nothing changes until it is valid).
sync
    Copy the course into a home folder and update it later without losing edits.
settings
    The files the hub reads: JupyterHub's settings and every server's Jupyter config.
system
    What changes the machine: packages, the users' environment, Unix users, folders.
singleuser
    Start script of each user's server (course update, memory cap, then JupyterLab).
cli
    ``python -m cdatools.hub``, called by ``make hub``.

Everything here uses the standard library only, so ``make hub`` can check the roster
with any Python 3.10+ before it installs anything.
"""

"""nbgrader settings for the course "Cluster Governance, Trust and the Role of the CDA".

Run nbgrader commands from this folder (exercises/). See README.md here for the trainer guide.
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = "cda-governance-trust"

# Every released notebook starts with the course header (instructions for trainees).
c.IncludeHeaderFooter.header = "source/header.ipynb"

# A cell may run for at most 60 s when grading; the slowest solution cell takes a few
# seconds, so only a runaway loop reaches the limit.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# Trainees sometimes delete a grading cell; put it back from the database and run it.
c.OverwriteCells.add_missing_cells = True

# A copied grading cell must not lose the trainee the whole notebook (nbgrader 0.9
# crashes on it when missing cells are restored): see cdatools/nbgrader_fixes.py.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "cdatools.nbgrader_fixes.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# What a trainee sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback pages load nothing from another host (nbgrader's would load MathJax from a
# CDN), so trainees can read them offline; nbgrader's preprocessors stop warning
# "display_data_priority not recognized". See cdatools/grading/feedback.py.
c.GenerateFeedback.exporter_class = "cdatools.grading.feedback.OfflineFeedbackExporter"

# nbgrader 0.9 writes feedback from the autograded notebook as it stands, hidden tests
# included (see jupyter/nbgrader#917): clear hidden tests and mark schemes first, and put
# a short plain-words message in place of a failed check's traceback, which would show
# the failing hidden line and the values it expected (cdatools/nbgrader_fixes.py).
# Trainees get only this feedback: the autograded copies stay with the trainer, who
# needs their full tracebacks.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "cdatools.nbgrader_fixes.PlainTestErrors",
]

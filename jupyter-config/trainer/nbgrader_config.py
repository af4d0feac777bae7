"""nbgrader settings for `make lab ROLE=trainer` (read by the formgrader in JupyterLab).

The course's own settings are in its folder (exercises/nbgrader_config.py), which the
formgrader reads from the course root that `make lab` gives it. This file only tells
nbgrader that a configuration exists, so it does not warn "No nbgrader_config.py file
found" in the server's log. Formgrader settings for one machine (no exchange, no
configuration panel) are in jupyter_server_config.json beside it.
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

"""Tools for Cluster Development Agents (CDAs).

The package backs the course "Cluster Governance, Trust and the Role of the CDA"
and stays useful afterwards on a CDA's own cluster data.
Importing it is cheap: heavy libraries load only when a function needs them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

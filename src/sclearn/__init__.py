"""sclearn: Developing and Improving Practice Pledges, kept as plain files.

The command line is a thin layer over this library; a training team can use it from a notebook::

    from sclearn import Catalogue
    from sclearn.checks import check_file, find_pledge_files
    from sclearn.collate import Options, collate
    from sclearn.pledge import load_pledge
    from sclearn.render import render
"""

from sclearn.errors import ConflictError, InvalidFileError, Problem, SclearnError, UsageError
from sclearn.framework import Catalogue, Framework, load_framework

__version__ = "0.1.0"

__all__ = [
    "Catalogue",
    "ConflictError",
    "Framework",
    "InvalidFileError",
    "Problem",
    "SclearnError",
    "UsageError",
    "__version__",
    "load_framework",
]

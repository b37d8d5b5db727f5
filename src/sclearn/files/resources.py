"""The framework and template folders shipped inside the package (see pyproject.toml)."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from sclearn.core.errors import SclearnError


def _data_dir(name: str) -> Path:
    resource = files("sclearn") / "_data" / name
    # Installed wheels are plain folders; as_file keeps working if the package is ever zipped.
    with as_file(resource) as path:
        if not Path(path).is_dir():
            raise SclearnError(
                f"The built-in {name} folder is missing from this installation.",
                hint="Reinstall sclearn (for example `pip install --force-reinstall sclearn`).",
            )
        return Path(path)


def builtin_framework_dir() -> Path:
    """The folder of built-in framework files."""
    return _data_dir("framework")


def builtin_templates_dir() -> Path:
    """The folder of built-in report templates."""
    return _data_dir("templates")

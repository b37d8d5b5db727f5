"""The framework and template folders: shipped inside the wheel, or in the source checkout."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from sclearn.core.errors import SclearnError


def _data_dir(name: str) -> Path:
    resource = files("sclearn") / "_data" / name
    # Installed wheels are plain folders; as_file keeps working if the package is ever zipped.
    with as_file(resource) as path:
        if Path(path).is_dir():
            return Path(path)
    # An editable install or a source checkout has no _data: the folders sit at the top of the
    # repository, above src/sclearn.
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    raise SclearnError(
        f"The built-in {name} folder is missing from this installation.",
        hint="Reinstall sclearn (for example `pip install --force-reinstall sclearn`).",
    )


def builtin_framework_dir() -> Path:
    """The folder of built-in framework files."""
    return _data_dir("framework")


def builtin_templates_dir() -> Path:
    """The folder of built-in report templates."""
    return _data_dir("templates")

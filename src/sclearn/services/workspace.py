"""Where a command runs: folder settings, frameworks and case patterns, resolved once.

Every command (and any other front end: a notebook, a web form, a Word import) opens a
``Workspace`` instead of reading ``sclearn.toml``, looking up frameworks or compiling case
patterns itself, so a ``--framework`` value means the same thing everywhere:

* nothing: the built-in frameworks (plus any in ``SCLEARN_FRAMEWORK_PATH``), and for new
  pledges the framework of the folder settings, or the built-in latest;
* a path (it exists, contains a folder separator, or ends in ``.yaml``/``.yml``): a board's
  own framework file or folder, which must exist and be valid; its latest edition is the one
  chosen;
* ``ID`` or ``ID@VERSION``: a known framework, chosen by name; an unknown one is an error.

Pledge files always name their own framework edition: the choice only says which framework
new pledges and schemas use, which edition `collate` collates, and which `framework show`
shows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sclearn.core.errors import UsageError
from sclearn.core.framework import Framework
from sclearn.core.privacy import compile_patterns
from sclearn.files.frameworks import ENV_PATH, Catalogue
from sclearn.files.settings import Settings
from sclearn.files.settings import find as find_settings


def is_framework_path(value: str) -> bool:
    """Whether a ``--framework`` value names a file or folder rather than an id."""
    return (
        Path(value).exists() or value.endswith((".yaml", ".yml")) or os.sep in value or "/" in value
    )


@dataclass(frozen=True)
class Workspace:
    """What every command needs to know about the place it runs in."""

    settings: Settings
    catalogue: Catalogue
    requested: Framework | None  # named by --framework (or the settings), if anything was
    case_patterns: tuple[re.Pattern[str], ...]
    by_name: bool = False  # the framework was named by ID[@VERSION], not found at a path

    @classmethod
    def open(
        cls,
        near: Path | None = None,
        *,
        framework: str | None = None,
        case_patterns: Sequence[str] = (),
        use_settings_framework: bool = True,
    ) -> Workspace:
        """Resolve the settings found at or above ``near``, the frameworks and case patterns.

        ``framework`` is the ``--framework`` value; without it the folder settings' framework
        is used when ``use_settings_framework`` (it is the framework for new pledges; `collate`
        chooses its edition from the files instead).
        """
        settings = find_settings(near)
        spec = framework or (settings.framework_spec if use_settings_framework else None)
        extra: list[Path] = []
        if spec and is_framework_path(spec):
            path = Path(spec)
            if not path.exists():
                raise UsageError(
                    f"--framework: there is no framework file or folder at {spec}",
                    hint="check the path, or give a framework id such as derbyshire-scr "
                    "(see `sclearn framework list`)",
                )
            extra.append(path)
        elif (
            not use_settings_framework
            and settings.framework_spec
            and is_framework_path(settings.framework_spec)
        ):
            extra.append(Path(settings.framework_spec))  # a board's own file stays readable
        catalogue = Catalogue.load(extra)
        requested: Framework | None = None
        if extra and spec and is_framework_path(spec):
            broken = [
                e
                for e in catalogue.errors
                if any(p.path is not None and _within(p.path, extra[0]) for p in e.problems)
            ]
            if broken:
                raise broken[0]
            own = [f for f in catalogue.frameworks if _within(catalogue.sources[f.ref], extra[0])]
            if not own:
                raise UsageError(
                    f"--framework: {spec} holds no framework file",
                    hint="a framework file ends in .yaml; see the README",
                )
            requested = own[-1]
        elif spec:
            requested = catalogue.choose(spec)
        patterns = compile_patterns([*case_patterns, *settings.case_reference_patterns])
        by_name = requested is not None and spec is not None and not is_framework_path(spec)
        return cls(settings, catalogue, requested, tuple(patterns), by_name)

    @property
    def framework(self) -> Framework:
        """The framework for new pledges, schemas and `framework show`."""
        return self.requested or self.catalogue.default()


def _within(path: Path, root: Path) -> bool:
    try:
        return path.resolve() == root.resolve() or path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


__all__ = ["ENV_PATH", "Workspace", "is_framework_path"]

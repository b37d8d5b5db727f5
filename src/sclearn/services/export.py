"""`sclearn export`: each pledge as the Appendix 1 form in Word, to fill in and import back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sclearn.core.errors import InvalidFileError, Problem, UsageError
from sclearn.exports.docx import form_document
from sclearn.exports.registry import FORMATS
from sclearn.files.discover import PLEDGE_SUFFIX, find_pledge_files
from sclearn.files.pledges import load_pledge
from sclearn.files.write import write_output
from sclearn.services.workspace import Workspace

SUFFIX = FORMATS["docx"].suffix


@dataclass
class Exported:
    """One pledge's form: where it was written, or what stopped it."""

    source: Path
    target: Path | None = None
    problems: list[Problem] = field(default_factory=list)


def form_name(pledge_path: Path) -> str:
    """``jo-hartley.pledge.yaml`` -> ``jo-hartley.docx``."""
    name = pledge_path.name
    stem = name[: -len(PLEDGE_SUFFIX)] if name.endswith(PLEDGE_SUFFIX) else pledge_path.stem
    return stem + SUFFIX


def target_for(source: Path, output: Path | None, several: bool) -> Path:
    """Beside the pledge by default; ``-o FILE.docx`` for one pledge; ``-o FOLDER`` else."""
    if output is None:
        return source.with_name(form_name(source))
    if output.suffix.lower() == SUFFIX and not output.is_dir():
        if several:
            raise UsageError(
                f"-o {output}: several pledges need a folder, not one file",
                hint="give a folder for -o; each form is named after its pledge",
            )
        return output
    return output / form_name(source)


def export_paths(
    ws: Workspace, paths: Sequence[Path], output: Path | None, *, force: bool = False
) -> Iterator[Exported]:
    """Write the form of each pledge file named or found below the folders named."""
    files = list(find_pledge_files(paths))
    for path in files:
        done = Exported(path)
        try:
            lp = load_pledge(path, ws.catalogue)
            done.target = target_for(path, output, len(files) > 1)
            if output is not None and done.target.parent == output:
                output.mkdir(parents=True, exist_ok=True)
            write_output(
                done.target, form_document(lp.framework, lp.pledge), (SUFFIX,), force=force
            )
        except InvalidFileError as exc:
            done.problems = exc.problems
            done.target = None
        except UsageError as exc:
            done.problems = [Problem(exc.message, path, hint=exc.hint)]
            done.target = None
        yield done

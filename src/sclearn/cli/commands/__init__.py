"""One module per command; importing them registers them on the app."""

from sclearn.cli.commands import (  # noqa: F401
    check,
    collate,
    due,
    export,
    fill,
    framework,
    import_,
    init,
    migrate,
    new,
    render,
    review,
    schema,
    signoff,
    status,
)

"""One module per command; importing one registers it on the app (see ``cli.app.COMMANDS``).

Nothing is imported here, so that running one command loads only that command's module.
"""

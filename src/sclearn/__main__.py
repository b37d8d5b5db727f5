"""`python -m sclearn` runs the command line."""

from sclearn.cli import main

main()

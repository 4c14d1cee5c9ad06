"""`python -m generator` runs the sdkforge command line."""

from .cli import main

main()

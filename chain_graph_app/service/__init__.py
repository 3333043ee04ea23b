"""Open a data directory with a store and write through it: used by the CLI and the app alike."""

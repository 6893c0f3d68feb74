"""The ``diurna`` command: thin wrappers that parse arguments and call the library."""

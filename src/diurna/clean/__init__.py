"""Cleaning steps: boilerplate removal, language identification, identity and deduplication."""

"""spaCy: loading the model once per process, and the NLP step."""

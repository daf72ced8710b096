"""The answer base: reviewed answers in corpus/answers/ (base.py), and
matching a question, with the conversation so far, to them (match.py)."""

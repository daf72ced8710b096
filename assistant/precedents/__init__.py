"""The precedent library: real past FOI cases as facts in our own words
(corpus/precedents/), their format, the same-case rules the evals use, and
the builder and checker (python -m assistant.precedents build|check)."""

"""Evals: score the assistant against known FOI responses, beside simpler baselines."""

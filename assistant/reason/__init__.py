"""Pure reasoning: facts in, findings out. No I/O beyond loading data files, no LLM."""

"""FOI Assistant."""

"""Compose answers from findings and retrieved text: templates in prompts/, citations verified."""

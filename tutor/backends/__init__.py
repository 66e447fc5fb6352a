"""LLM backends behind one protocol (see base.py); each module imports its SDK lazily."""

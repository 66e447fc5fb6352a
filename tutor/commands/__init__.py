"""One thin module per command: read options, call the domain, display."""

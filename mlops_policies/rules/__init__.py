"""One module per control area; each exposes RULES."""

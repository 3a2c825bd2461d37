"""SEC-05: No long-lived machine credentials."""

"""Facts attached to events: counts of people (killed, arrested, ...), dates, places."""

"""Help: the glossary, how a round works for each role, the grade scale, and the accessibility
statement and privacy notice (readable without signing in)."""

"""State every channel's workers share (follow-up memory, rate limits, refusals told once) in one
database: SQLite in the data directory by default, PostgreSQL with ``LUOSHI_DATABASE_URL``."""

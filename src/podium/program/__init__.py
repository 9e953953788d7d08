"""Program: the public, read-only site: event page, schedule grid and list, sessions, speakers."""

"""Events: conference editions, time zone, dates, CfP window, tracks, rooms, session types, team."""

"""Review: reviewer assignment, reviews and scores, ranking, decisions."""

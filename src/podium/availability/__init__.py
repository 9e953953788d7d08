"""Speaker availability: when each speaker of an event can present, as UTC ranges."""

"""Personal agenda (starred sessions, "My agenda", a private iCalendar feed) and the
embeddable schedule widget."""

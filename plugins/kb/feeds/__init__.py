"""What readers subscribe to: Atom and RSS feeds of new entries, and iCalendar feeds of meetings."""

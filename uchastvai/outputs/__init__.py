"""What the build writes from the facts: pages, feeds, calendars, data, search, images."""

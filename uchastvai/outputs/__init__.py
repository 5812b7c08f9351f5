"""What the build writes from the facts: pages, feeds, calendars, open data, sitemap, search."""

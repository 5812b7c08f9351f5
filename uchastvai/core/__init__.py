"""Basics every layer uses: translations, build-scoped caches, dates, money and the site's own addresses."""

"""Basics every layer uses: translations, build-scoped caches, dates and money."""

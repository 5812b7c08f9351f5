"""The outdoor displays (GUIDE §6): one slide model, many players.

slides.py     catalogue → list of :class:`Slide` (the single data model)
config.py     the display settings (order, timings, poll interval), checked
qr.py         QR codes as inline SVG
assets.py     the kiosk's own CSS/JS/images, copied with content-hashed names
render.py     slide → PNG with headless Chromium (skipped with a warning if absent)
feeds.py      player RSS 2.0, MRSS playlists and the JSON of the slides
generator.py  the Pelican generator that writes all of it under ``display/``
"""

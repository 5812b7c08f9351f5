"""Facts at a build time: derived states and periods, the catalogue, stable URLs."""

"""Editors' tools: web editor, scaffolding, guide, drafts preview, reports, nightly run."""

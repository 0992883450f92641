"""Prompt templates: versioned in the blob store, rendered in a sandbox."""

"""The content layer: the content model, reading and checking entry files, links, terms, and the one catalogue.

It imports nothing from the rest of kb; every other room builds on it."""

"""The alliance knowledge base: content model, catalogue, site plugin and `kb` command."""

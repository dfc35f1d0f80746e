"""The site's pages planned from the catalogue: home, listings and facets, tags, network hubs' facts,
related entries, the contributor page and the preview's error page. plan.py names every feature's pages."""

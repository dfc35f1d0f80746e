"""Full-text search: the Whoosh index written from the catalogue, the query engine, the HTTP service and the search page."""
